#!/usr/bin/env bash
# A config's test accuracy with trainboard and with the same recipe in PyTorch, 3 seeds
# each (issue 14's accuracy point): trainboard fit --config CONFIG --set seed=N, then
# bench/torch_mlp.py --config CONFIG --seed N (same network, Adam rate, batch, epochs,
# cosine schedule if any, normalization and validation hold-out; 2 threads). The runs go
# one after another, never side by side. Prints each seed's accuracy, the two means and
# their difference (target: trainboard >= 0.90, |difference| <= 0.005).
#
#   bench/cnn_accuracy.sh [CONFIG] [EPOCHS]
#     CONFIG  default Config/fashion-mnist-cnn-10.yaml (10 epochs, cosine to 0)
#     EPOCHS  overrides trainer.max_epochs on both sides (and so the cosine's T_max)
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${1:-Config/fashion-mnist-cnn-10.yaml}
EPOCHS=${2:-}
SEEDS=${SEEDS:-0 1 2}
BIN=.build/release/trainboard
[ -x "$BIN" ] || swift build -c release >&2
export OMP_NUM_THREADS=2 SWIFT_BACKTRACE=enable=no
OUT=$(mktemp -d)
ours=() torch=()
[ -n "$EPOCHS" ] && ours=(--set "trainer.max_epochs=$EPOCHS") torch=(--epochs "$EPOCHS")
for seed in $SEEDS; do
    "$BIN" fit --config "$CONFIG" --headless --set "seed=$seed" "${ours[@]}" --log-dir "$OUT/ours-$seed" > /dev/null
    python3 bench/torch_mlp.py --config "$CONFIG" --seed "$seed" --threads 2 --json "${torch[@]}" > "$OUT/torch-$seed.json"
done
python3 - "$OUT" $SEEDS <<'PY'
import glob, json, statistics, sys
out, seeds = sys.argv[1], sys.argv[2:]
ours = [json.load(open(glob.glob(f"{out}/ours-{s}/**/summary.json", recursive=True)[0]))["test_accuracy"] for s in seeds]
torch = [json.load(open(f"{out}/torch-{s}.json"))["test_accuracy"] for s in seeds]
print("| seed | trainboard | PyTorch |\n|---|---|---|")
for s, o, t in zip(seeds, ours, torch): print(f"| {s} | {o:.4f} | {t:.4f} |")
mo, mt = statistics.mean(ours), statistics.mean(torch)
print(f"| mean | {mo:.4f} | {mt:.4f} |")
print(f"difference {mo - mt:+.4f} (target: trainboard >= 0.90, |difference| <= 0.005)")
PY
