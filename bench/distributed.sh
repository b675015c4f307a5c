#!/usr/bin/env bash
# Data-parallel training on this machine (issue 15), measured in one run:
#
#   bench/distributed.sh [--repeats N]
#
# 1. Samples/s of the MLP (Config/fashion-mnist-mlp.yaml) and the CNN
#    (Config/fashion-mnist-cnn.yaml), 1 epoch on the first 20,000 training images
#    (CNN: 10,000), batch 128: one process with 2 threads against 2 ranks
#    (mpirun -np 2) with 1 thread each; best of N, alternating. From summary.json:
#    train_samples_per_second (the whole job's), allreduce_seconds and train_seconds,
#    so the share of a step spent in the all-reduce.
# 2. The all-reduce alone (`trainboard bench allreduce`, 2 ranks): median time
#    against gradient bytes, including the MLP's and the CNN's parameter counts.
# The machine is shared: the load average is printed with each section.
set -euo pipefail
cd "$(dirname "$0")/.."
REPEATS=2
while [ $# -gt 0 ]; do
    case "$1" in
        --repeats) REPEATS=$2; shift 2 ;;
        *) echo "usage: $0 [--repeats N]" >&2; exit 2 ;;
    esac
done
BIN=.build/release/trainboard
[ -x "$BIN" ] && [ -z "$(find Modules Apps -newer "$BIN" -name '*.swift' | head -1)" ] || swift build -c release >&2
. Tests/mpi/mpirun.sh
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }
figures() {   # SUMMARY -> "samples/s allreduce_share"
    python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
share = (d.get('allreduce_seconds') or 0) / d['train_seconds'] if d.get('train_seconds') else 0
print(f\"{d['train_samples_per_second']:.1f} {share:.4f} {(d.get('allreduce_seconds') or 0) * 1000 / max(d['steps'], 1):.3f}\")" "$1"
}

echo "== 1 process x 2 threads vs 2 ranks x 1 thread (best of $REPEATS, batch 128; load $(load))"
printf '%-5s %16s %16s %8s %18s %16s\n' model "1x2 samples/s" "2x1 samples/s" ratio "all-reduce share" "ms per all-reduce"
for model in mlp cnn; do
    config=Config/fashion-mnist-$model.yaml limit=20000
    [ $model = cnn ] && limit=10000
    set_args=(--set "data.limit_train=$limit" --set trainer.max_epochs=1 --set data.batch_size=128)
    best1=0 best2=0 share=0 per=0
    for r in $(seq "$REPEATS"); do
        OPENBLAS_NUM_THREADS=2 "$BIN" fit --config $config --headless --log-dir "$OUT/$model-1-$r" "${set_args[@]}" >/dev/null
        read -r s1 _ _ < <(figures "$OUT/$model-1-$r/version_0/summary.json")
        mpirun_np 2 -x OPENBLAS_NUM_THREADS=1 "$BIN" fit --config $config --headless --log-dir "$OUT/$model-2-$r" "${set_args[@]}" >/dev/null
        read -r s2 sh2 ms2 < <(figures "$OUT/$model-2-$r/version_0/summary.json")
        best1=$(python3 -c "print(max($best1, $s1))")
        if python3 -c "import sys; sys.exit(0 if $s2 > $best2 else 1)"; then best2=$s2 share=$sh2 per=$ms2; fi
    done
    printf '%-5s %16.0f %16.0f %8.2f %17.1f%% %16.3f\n' $model "$best1" "$best2" "$(python3 -c "print($best2 / $best1)")" \
        "$(python3 -c "print(100 * $share)")" "$per"
done

echo
echo "== all-reduce of a flat Float buffer over 2 ranks (median of 50; load $(load))"
# 235,146 = the MLP's parameters (784-256-128-10); 206,922 = the CNN's.
mpirun_np 2 "$BIN" bench allreduce --repeats 50 --sizes 1000 10000 100000 206922 235146 1000000 4000000
