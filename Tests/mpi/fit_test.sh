#!/usr/bin/env bash
# Data-parallel training on real 2-rank Open MPI jobs, against one process:
# the same weights (within 1e-4: the sums run in another order), world_size in the
# summary, one writer, clear errors, N->M resume, and a killed rank ending the job.
# Usage: Tests/mpi/fit_test.sh BINARY   Prints "N passed, N failed".
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
. Tests/mpi/mpirun.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { echo "ok    $1"; pass=$((pass + 1)); }
bad() { echo "FAIL  $1: $2" | cut -c1-600; fail=$((fail + 1)); }
# weights A B TOLERANCE: the largest difference between two checkpoints' tensors (same names).
same_weights() {
    python3 - "$1" "$2" "$3" <<'PY'
import sys
from safetensors.numpy import load_file
a, b = load_file(sys.argv[1]), load_file(sys.argv[2])
assert sorted(a) == sorted(b), (sorted(a), sorted(b))
worst = max(float(abs(a[k] - b[k]).max()) for k in a)
print(f"largest difference {worst:.3g}")
sys.exit(0 if worst <= float(sys.argv[3]) else 1)
PY
}
summary() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d.get('$2'))" "$1"; }

# compare NAME CONFIG OVERRIDES...: one process and 2 ranks, same seed and global batch.
compare() {
    local name=$1 config=$2; shift 2
    "$bin" fit --config "$config" --headless --log-dir "$work/$name/one" "$@" >"$work/$name.one.log" 2>&1 || {
        bad "$name: one process" "$(tail -3 "$work/$name.one.log")"; return; }
    mpirun_np 2 "$bin" fit --config "$config" --headless --log-dir "$work/$name/two" "$@" >"$work/$name.two.log" 2>&1 || {
        bad "$name: 2 ranks exit 0" "$(tail -5 "$work/$name.two.log")"; return; }
    ok "$name: 2 ranks exit 0"
    [ "$(summary "$work/$name/two/version_0/summary.json" world_size)" = 2 ] && ok "$name: world_size 2 in summary.json" \
        || bad "$name: world_size" "$(cat "$work/$name/two/version_0/summary.json")"
    [ "$(ls "$work/$name/two")" = version_0 ] && ok "$name: rank 0 alone wrote one run directory" \
        || bad "$name: one run directory" "$(ls "$work/$name/two")"
    local diff
    diff=$(same_weights "$work/$name/one/version_0/checkpoints/last.safetensors" \
                        "$work/$name/two/version_0/checkpoints/last.safetensors" 1e-4 2>&1) \
        && ok "$name: weights equal one process's ($diff)" || bad "$name: weights" "$diff"
    local a b
    a=$(summary "$work/$name/one/version_0/summary.json" test_accuracy); b=$(summary "$work/$name/two/version_0/summary.json" test_accuracy)
    python3 -c "import sys; sys.exit(0 if abs(float('$a') - float('$b')) <= 0.01 else 1)" \
        && ok "$name: test accuracy as one process's ($a vs $b)" || bad "$name: test accuracy" "$a vs $b"
}
compare iris-shuffled Config/iris.yaml --set trainer.max_epochs=20
# Without OPENBLAS_NUM_THREADS the two ranks on this host share its cores.
cores=$(OMPI_COMM_WORLD_LOCAL_SIZE=1 python3 -c 'import os; print(len(os.sched_getaffinity(0)))')
share=$((cores / 2 > 0 ? cores / 2 : 1))
grep -q "^\[info\] 2 ranks, $share thread" "$work/iris-shuffled.two.log" && ok "ranks share the host's $cores cores: $share thread(s) each" \
    || bad "threads per rank" "$(grep -m1 'ranks' "$work/iris-shuffled.two.log")"
mpirun_np 2 -x OPENBLAS_NUM_THREADS=1 "$bin" fit --config Config/iris.yaml --headless --log-dir "$work/threads" \
    --set trainer.max_epochs=1 >"$work/threads.log" 2>&1
grep -q "^\[info\] 2 ranks, 1 thread each$" "$work/threads.log" && ok "OPENBLAS_NUM_THREADS chooses the threads per rank" \
    || bad "OPENBLAS_NUM_THREADS per rank" "$(grep -m1 'ranks' "$work/threads.log")"
compare iris-unshuffled Config/iris.yaml --set trainer.max_epochs=5 --set data.shuffle=false --set data.batch_size=22
compare fashion-mlp Config/fashion-mnist-mlp.yaml --set data.limit_train=2000 --set trainer.max_epochs=1 --set data.batch_size=64

# accumulate_grad_batches: 2 on 2 ranks with global batch B against one process with batch 2B.
"$bin" fit --config Config/iris.yaml --headless --log-dir "$work/acc/one" --set trainer.max_epochs=10 --set data.batch_size=32 \
    >"$work/acc.one.log" 2>&1 || bad "accumulation: one process" "$(tail -3 "$work/acc.one.log")"
mpirun_np 2 "$bin" fit --config Config/iris.yaml --headless --log-dir "$work/acc/two" --set trainer.max_epochs=10 \
    --set data.batch_size=16 --set trainer.accumulate_grad_batches=2 >"$work/acc.two.log" 2>&1 \
    || bad "accumulation: 2 ranks" "$(tail -5 "$work/acc.two.log")"
diff=$(same_weights "$work/acc/one/version_0/checkpoints/last.safetensors" "$work/acc/two/version_0/checkpoints/last.safetensors" 1e-4 2>&1) \
    && ok "2 ranks x batch 16 x accumulate 2 equal one process x batch 32 ($diff)" || bad "accumulation weights" "$diff"

# A global batch the ranks cannot share evenly: one clear line, non-zero exit, no hang.
out=$(mpirun_np 2 "$bin" fit --config Config/iris.yaml --headless --log-dir "$work/odd" --set data.batch_size=15 2>&1); status=$?
if [ $status -ne 0 ] && printf '%s' "$out" | grep -q "data.batch_size.*multiple of 2, e.g. 14 or 16"; then ok "odd global batch: clear error, exit $status"
else bad "odd global batch" "exit $status: $out"; fi

# N -> M: a checkpoint written by 2 ranks resumes in one process, and one process's on 2 ranks.
last2=$work/iris-shuffled/two/version_0/checkpoints/last.safetensors
"$bin" fit --config Config/iris.yaml --headless --log-dir "$work/resume1" --set trainer.max_epochs=25 --set "trainer.resume=$last2" \
    >"$work/resume1.log" 2>&1 && ok "2-rank checkpoint resumes in one process" || bad "resume 2 -> 1" "$(tail -3 "$work/resume1.log")"
last1=$work/iris-shuffled/one/version_0/checkpoints/last.safetensors
mpirun_np 2 "$bin" fit --config Config/iris.yaml --headless --log-dir "$work/resume2" --set trainer.max_epochs=25 --set "trainer.resume=$last1" \
    >"$work/resume2.log" 2>&1 && ok "1-process checkpoint resumes on 2 ranks" || bad "resume 1 -> 2" "$(tail -5 "$work/resume2.log")"
r1=$(find "$work/resume1" -name last.safetensors | head -1); r2=$(find "$work/resume2" -name last.safetensors | head -1)
diff=$(same_weights "$r1" "$r2" 1e-4 2>&1) && ok "both resumed runs end with the same weights ($diff)" || bad "resumed weights" "$diff"

# rank_pid DIR R: the pid of rank R of the job writing under DIR (waits for it and for a first checkpoint).
rank_pid() {
    local pid found=""
    for _ in $(seq 150); do
        sleep 0.2
        for pid in $(pgrep -f "log-dir $1" || true); do
            tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$2" && found=$pid
        done
        [ -n "$found" ] && [ -f "$1/version_0/checkpoints/last.safetensors" ] && break
    done
    echo "$found"
}

# A stop asked of rank 0 alone (what q in its dashboard does; here SIGTERM): both ranks stop
# after the same step, rank 0 saves last and writes the summary, and the job exits 0.
mpirun_np 2 "$bin" fit --config Config/iris.yaml --headless --log-dir "$work/stop" --set trainer.max_epochs=100000 \
    >"$work/stop.log" 2>&1 &
job=$!
rank0=$(rank_pid "$work/stop" 0)
[ -n "$rank0" ] && kill -TERM "$rank0"
wait $job; status=$?
reason=$(summary "$work/stop/version_0/summary.json" end_reason 2>/dev/null)
if [ -n "$rank0" ] && [ $status -eq 0 ] && [ "$reason" = stopped ]; then ok "a stop on rank 0 stops both ranks: exit 0, end_reason stopped"
else bad "stop on rank 0" "rank0=$rank0 exit $status reason $reason: $(tail -3 "$work/stop.log")"; fi

# SIGKILL of rank 1 mid-run: the job ends non-zero within 30 s with a message, and last.safetensors loads.
mpirun_np 2 "$bin" fit --config Config/iris.yaml --headless --log-dir "$work/kill" --set trainer.max_epochs=100000 \
    >"$work/kill.log" 2>&1 &
job=$!
rank1=$(rank_pid "$work/kill" 1)
sleep 1
start=$(date +%s)
[ -n "$rank1" ] && kill -KILL "$rank1"
wait $job; status=$?; took=$(( $(date +%s) - start ))
if [ -n "$rank1" ] && [ $status -ne 0 ] && [ $took -le 30 ] && [ -s "$work/kill.log" ]; then
    ok "rank 1 killed: the job exits $status after ${took}s with a message"
else bad "killed rank" "rank1=$rank1 exit $status after ${took}s: $(tail -3 "$work/kill.log")"; fi
python3 -c "from safetensors.numpy import load_file; import sys; w = load_file(sys.argv[1]); assert w" \
    "$work/kill/version_0/checkpoints/last.safetensors" 2>/dev/null && ok "last.safetensors loads after the kill" \
    || bad "last.safetensors after the kill" "$(ls -R "$work/kill" | head)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
