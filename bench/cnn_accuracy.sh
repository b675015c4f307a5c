#!/usr/bin/env bash
# The CNN recipe's test accuracy here and in PyTorch, mean of 3 seeds each (issue 14):
# Config/fashion-mnist-cnn.yaml for EPOCHS epochs (default 10) with trainboard, and the
# same network, optimizer, batch, normalization and 5% validation hold-out with
# bench/torch_mlp.py --model cnn.
#
#   bench/cnn_accuracy.sh [EPOCHS]
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS=${1:-10}
BIN=.build/release/trainboard
[ -x "$BIN" ] || swift build -c release >&2
OUT=$(mktemp -d)
for seed in 0 1 2; do
    "$BIN" fit --config Config/fashion-mnist-cnn.yaml --headless --set "seed=$seed" --set "trainer.max_epochs=$EPOCHS" \
        --log-dir "$OUT/ours-$seed" > /dev/null
    python3 bench/torch_mlp.py --model cnn --epochs "$EPOCHS" --validation 0.05 --seed "$seed" --json > "$OUT/torch-$seed.json"
done
python3 - "$OUT" <<'PY'
import glob, json, statistics, sys
out = sys.argv[1]
ours = [json.load(open(glob.glob(f"{out}/ours-{s}/**/summary.json", recursive=True)[0]))["test_accuracy"] for s in range(3)]
torch = [json.load(open(f"{out}/torch-{s}.json"))["test_accuracy"] for s in range(3)]
print("seed  trainboard  pytorch")
for s in range(3): print(f"{s:4}  {ours[s]:10.4f}  {torch[s]:7.4f}")
mo, mt = statistics.mean(ours), statistics.mean(torch)
print(f"mean  {mo:10.4f}  {mt:7.4f}   difference {mo - mt:+.4f} (target: trainboard >= 0.90, |difference| <= 0.005)")
PY
