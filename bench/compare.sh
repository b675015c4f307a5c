#!/usr/bin/env bash
# Trainboard vs PyTorch on this machine, back to back, best-of-N (issue 8).
#
#   bench/compare.sh [--repeats N] [--epochs N] [--rss-epochs N] [--only mlp|cnn]
#
# 1. Training throughput: `trainboard bench train` and bench/torch_mlp.py
#    (same 784-256-128-10 MLP, Adam 1e-3, 5% validation split held out,
#    torch.set_num_threads(2)) at batch 128 and 32; ratios of samples/s. The
#    GEMM-bound fraction is per epoch against GEMM times taken right after it.
#    PyTorch on one thread is also run, as a reference row.
# 2. Whole process, 1 epoch + test: `trainboard fit --headless` vs
#    torch_mlp.py --epochs 1, wall time and peak RSS from /usr/bin/time -v.
# 3. Heap allocations per training step after epoch 1 (LD_PRELOAD counter,
#    bench/malloc_count.c) and RSS per epoch over a long run.
# 4. The CNN of Config/fashion-mnist-cnn.yaml (issue 14): `trainboard bench train
#    --config` and torch_mlp.py --model cnn, 1 epoch on the first 20,000 training
#    images, at batch 128 and 32; ratios of samples/s and the CNN step's GEMM-bound share.
# The machine is shared: the load average is printed with every section.
set -euo pipefail
cd "$(dirname "$0")/.."
REPEATS=3 EPOCHS=2 RSS_EPOCHS=20 ONLY=""
while [ $# -gt 0 ]; do
    case "$1" in
        --only) ONLY=$2; shift 2 ;;
        --repeats) REPEATS=$2; shift 2 ;;
        --epochs) EPOCHS=$2; shift 2 ;;
        --rss-epochs) RSS_EPOCHS=$2; shift 2 ;;
        *) echo "usage: $0 [--repeats N] [--epochs N] [--rss-epochs N] [--only mlp|cnn]" >&2; exit 2 ;;
    esac
done
BIN=.build/release/trainboard
[ -x "$BIN" ] && [ -z "$(find Modules Apps -newer "$BIN" -name '*.swift' | head -1)" ] || swift build -c release >&2
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
COUNTER=.build/malloc_count.so
[ "$COUNTER" -nt bench/malloc_count.c ] 2>/dev/null || cc -O2 -shared -fPIC -o "$COUNTER" bench/malloc_count.c
OUT=$(mktemp -d)
load() { cut -d' ' -f1-3 /proc/loadavg; }

if [ "$ONLY" != mlp ]; then
echo "== CNN training throughput (best of $REPEATS, 1 epoch on 20,000 images each; load $(load))"
for batch in 128 32; do
    for r in $(seq "$REPEATS"); do
        "$BIN" bench train --config Config/fashion-mnist-cnn.yaml --set data.limit_train=20000 --batch "$batch" \
            --epochs 1 --gemm-seconds 0.5 --json >> "$OUT/cnn-ours-$batch.jsonl"
        python3 bench/torch_mlp.py --model cnn --limit 20000 --batch "$batch" --epochs 1 --validation 0.05 --json \
            >> "$OUT/cnn-torch-$batch.jsonl"
    done
done
fi
[ "$ONLY" = cnn ] || {
echo "== training throughput (best of $REPEATS, $EPOCHS epoch(s) each; load $(load))"
for batch in 128 32; do
    for r in $(seq "$REPEATS"); do
        "$BIN" bench train --batch "$batch" --epochs "$EPOCHS" --json >> "$OUT/ours-$batch.jsonl"
        python3 bench/torch_mlp.py --batch "$batch" --epochs "$EPOCHS" --validation 0.05 --json >> "$OUT/torch-$batch.jsonl"
        # Reference only: PyTorch on one thread (on a busy machine its 2-thread barriers can cost more than they give).
        python3 bench/torch_mlp.py --batch "$batch" --epochs "$EPOCHS" --validation 0.05 --threads 1 --json >> "$OUT/torch1-$batch.jsonl"
    done
done

echo "== whole process: 1 epoch + test (best of $REPEATS; load $(load))"
for r in $(seq "$REPEATS"); do
    /usr/bin/time -v "$BIN" fit --config Config/fashion-mnist-mlp.yaml --headless --set trainer.max_epochs=1 \
        --log-dir "$OUT/fit" > /dev/null 2>> "$OUT/time-ours.txt"
    /usr/bin/time -v python3 bench/torch_mlp.py --epochs 1 --validation 0.05 > /dev/null 2>> "$OUT/time-torch.txt"
done

echo "== allocations per step after epoch 1, RSS over $RSS_EPOCHS epochs (load $(load))"
LD_PRELOAD=$PWD/$COUNTER "$BIN" bench train --epochs 2 --json > "$OUT/alloc.json"
"$BIN" bench train --epochs "$RSS_EPOCHS" --json > "$OUT/rss.json"
}

python3 - "$OUT" <<'PY'
import json, re, sys, glob, os
out = sys.argv[1]
def best(path, key):
    rows = [json.loads(l) for l in open(path)]
    return max(rows, key=lambda r: r[key])
def time_v(path):
    text = open(path).read()
    walls = []
    for m in re.finditer(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text):
        parts = [float(p) for p in m.group(1).split(":")]
        walls.append(sum(p * 60 ** i for i, p in enumerate(reversed(parts))))
    rss = [int(x) / 1024 for x in re.findall(r"Maximum resident set size \(kbytes\): (\d+)", text)]
    return min(walls), max(rss)
print()
print(f"{'measure':44} {'trainboard':>12} {'pytorch':>12} {'ratio':>8} {'target':>10}")
for batch, target in ((128, 1.5), (32, 2.0)):
    if not os.path.exists(f"{out}/cnn-ours-{batch}.jsonl"): break
    o, t = best(f"{out}/cnn-ours-{batch}.jsonl", "samples_per_second"), best(f"{out}/cnn-torch-{batch}.jsonl", "samples_per_second")
    r = o["samples_per_second"] / t["samples_per_second"]
    print(f"{'CNN samples/s, batch %d' % batch:44} {o['samples_per_second']:12.0f} {t['samples_per_second']:12.0f} {r:7.2f}x {'>= %.1fx' % target:>10}")
    print(f"{'  CNN share of its GEMM-bound limit':44} {100 * o['fraction_of_gemm_bound']:11.1f}% {'(%.3f ms)' % o['gemm_bound_ms_per_step']:>12}")
if not os.path.exists(f"{out}/ours-128.jsonl"): sys.exit(0)
for batch, target in ((128, 1.5), (32, 2.5)):
    o, t = best(f"{out}/ours-{batch}.jsonl", "samples_per_second"), best(f"{out}/torch-{batch}.jsonl", "samples_per_second")
    r = o["samples_per_second"] / t["samples_per_second"]
    print(f"{'samples/s, batch %d' % batch:44} {o['samples_per_second']:12.0f} {t['samples_per_second']:12.0f} {r:7.2f}x {'>= %.1fx' % target:>10}")
    t1 = best(f"{out}/torch1-{batch}.jsonl", "samples_per_second")
    r1 = o["samples_per_second"] / t1["samples_per_second"]
    print(f"{'  (reference: pytorch on 1 thread)':44} {'':12} {t1['samples_per_second']:12.0f} {r1:7.2f}x")
    print(f"{'ms/step, batch %d' % batch:44} {o['ms_per_step']:12.3f} {t['ms_per_step']:12.3f}")
    print(f"{'test accuracy, batch %d' % batch:44} {o['test_accuracy']:12.4f} {t['test_accuracy']:12.4f}")
    print(f"{'fraction of GEMM-bound limit, batch %d' % batch:44} {100 * o['fraction_of_gemm_bound']:11.1f}% "
          f"{'(%.3f ms)' % o['gemm_bound_ms_per_step']:>12} {'':8} {'>= 75%' if batch == 128 else '':>10}")
    print(f"{'  same, at the median step':44} {100 * o['fraction_of_gemm_bound_at_median']:11.1f}% {'(%.3f ms)' % o['median_ms_per_step']:>12}")
    print(f"{'  like for like: median GEMMs / median step':44} {100 * o['fraction_of_median_gemm_bound_at_median']:11.1f}% "
          f"{'(%.3f ms)' % o['gemm_bound_median_ms_per_step']:>12}")
    print(f"{'  step GEMMs back to back / median step':44} {100 * o['fraction_of_gemm_chain_at_median']:11.1f}% "
          f"{'(%.3f ms)' % o['gemm_chain_median_ms_per_step']:>12}")
(ow, orss), (tw, trss) = time_v(f"{out}/time-ours.txt"), time_v(f"{out}/time-torch.txt")
print(f"{'whole process 1 epoch + test, wall s':44} {ow:12.2f} {tw:12.2f} {ow / tw:7.2f}x {'<= 0.33x':>10}")
print(f"{'whole process peak RSS, MiB':44} {orss:12.1f} {trss:12.1f} {'':8} {'<= 150':>10}")
a = json.load(open(f"{out}/alloc.json"))
print(f"{'heap allocations/step after epoch 1 (mean)':44} {a.get('allocations_per_step', float('nan')):12.1f} {'':12} {'':8} {'0':>10}")
print(f"{'heap allocations/step after epoch 1 (median)':44} {a.get('allocations_per_step_median', float('nan')):12} {'':12} {'':8} {'0':>10}")
print(f"{'  of which >= 64 KiB (tensor buffers)':44} {a.get('large_allocations_per_step', float('nan')):12.1f}")
print(f"{'  KiB requested per step':44} {a.get('allocated_kib_per_step', float('nan')):12.1f}")
rss = json.load(open(f"{out}/rss.json"))["rss_mib_per_epoch"]
print(f"{'RSS MiB per epoch, %d epochs (first..last)' % len(rss):44} {rss[0]:6.1f}..{rss[-1]:<5.1f} {'':12} {'':8} {'flat':>10}")
print("RSS per epoch:", " ".join(f"{x:.1f}" for x in rss))
PY
echo "(load at end: $(load); raw results in $OUT)"
