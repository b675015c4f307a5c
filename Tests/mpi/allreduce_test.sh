#!/usr/bin/env bash
# The Open MPI communicator on a real 2-rank job: sums and a broadcast checked on every
# rank, the job size seen, and a plain process staying a job of one.
# Usage: Tests/mpi/allreduce_test.sh BINARY   Prints "N passed, N failed".
set -u
bin=$1
. "$(dirname "$0")/mpirun.sh"
pass=0 fail=0
expect() {   # NAME CONDITION-EXIT-STATUS DETAIL
    if [ "$2" -eq 0 ]; then echo "ok    $1"; pass=$((pass + 1)); else echo "FAIL  $1: $3"; fail=$((fail + 1)); fi
}
out=$(mpirun_np 2 "$bin" bench allreduce --check --json --sizes 1000 100000 --repeats 5 2>&1); status=$?
python3 -c "import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if d['world_size'] == 2 and d['checked'] and len(d['allreduce']) == 2 else 1)" "$out" 2>/dev/null
expect "2 ranks: all-reduce sums and broadcast correct on both ranks" $(( status != 0 || $? != 0 )) "exit $status: $out"
lines=$(printf '%s\n' "$out" | grep -c world_size)
expect "only rank 0 prints" $(( lines != 1 )) "$lines report lines"
out=$("$bin" bench allreduce --check --json --sizes 1000 --repeats 2 2>&1); status=$?
printf '%s' "$out" | grep -q '"world_size": 1' ; expect "a plain process is a job of one (no MPI started)" $(( status != 0 || $? != 0 )) "$out"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
