#!/usr/bin/env bash
# Zero heap allocations per training step, on a release binary (debug builds
# allocate for every closure and temporary): `trainboard bench train` under the
# LD_PRELOAD counter (bench/malloc_count.c), after the first epoch, each epoch's
# first step (the epoch boundary: validation, the new shuffle) left out. Also
# checks that the runs take the StepPlan path and that RSS stays flat.
# Usage: Tests/perf/allocations_test.sh RELEASE_BINARY   Prints "N passed, N failed".
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
counter=.build/malloc_count.so
[ "$counter" -nt bench/malloc_count.c ] 2>/dev/null || cc -O2 -shared -fPIC -o "$counter" bench/malloc_count.c || exit 1
pass=0 fail=0
check() {   # NAME EXPECTATION(python on d) ARGS...
    local name=$1 expect=$2; shift 2
    local out
    out=$(LD_PRELOAD=$PWD/$counter "$bin" bench train --json --gemm-seconds 0.05 "$@" 2>&1)
    if python3 -c "import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if ($expect) else 1)" "$out" 2>/dev/null; then
        echo "ok    $name"; pass=$((pass + 1))
    else
        echo "FAIL  $name: $out" | cut -c1-400; fail=$((fail + 1))
    fi
}
zero='d["step_plan"] and d["allocations_per_step"] == 0 and d["allocations_per_step_median"] == 0'
check "multiclass MLP, batch 128: 0 allocations per step" "$zero" --epochs 2 --batch 128
check "multiclass MLP, batch 32 (a partial last batch): 0 allocations per step" "$zero" --epochs 2 --batch 32
check "binary bce_with_logits, batch 128: 0 allocations per step" "$zero" --epochs 2 --config Config/fashion-footwear-binary.yaml
check "CSV multiclass (iris), batch 16: 0 allocations per step" "$zero" --epochs 4 --batch 16 --config Config/iris.yaml
check "RSS flat over 6 epochs (within 2 MiB after epoch 2)" \
    'max(d["rss_mib_per_epoch"][1:]) - min(d["rss_mib_per_epoch"][1:]) <= 2' --epochs 6 --batch 128
cnn=(--config Config/fashion-mnist-cnn.yaml --set data.limit_train=3000)
check "CNN (conv, ReLU, max-pool on buffers), batch 128: 0 allocations per step" "$zero" --epochs 2 "${cnn[@]}"
check "CNN, batch 32 (a partial last batch): 0 allocations per step" "$zero" --epochs 2 --batch 32 "${cnn[@]}"
check "CNN RSS flat over 10 epochs (within 2 MiB after epoch 2)" \
    'max(d["rss_mib_per_epoch"][1:]) - min(d["rss_mib_per_epoch"][1:]) <= 2' --epochs 10 "${cnn[@]}"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
