#!/usr/bin/env bash
# `trainboard sweep` end to end on Config/iris.yaml (each run takes a second or two):
#  - a 4-run grid with --parallel 2 --headless: exit 0, sweep.csv has one row per run equal
#    to its summary.json, each run has its directory (config.yaml, version_0 with summary.json
#    and checkpoints/last.safetensors);
#  - the same command again: exit 0, nothing reruns (no run started, no version_1), same rows;
#  - a combination that cannot run is a row with its error; the sweep exits 0;
#  - SIGINT mid-sweep: exit 0, the runs going on stopped with `last` saved, the queued ones
#    never started, no child left; a second sweep into the same directory meanwhile exits 1;
#    the same command again resumes the stopped runs in place and runs the rest;
#  - bad grids and options: a one-line error, exit 1 (2 for usage), nothing run.
# Usage: Tests/cli/sweep_test.sh BINARY   Prints one line per check and "N passed, N failed".
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/sweep-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$repo"
pass=0 fail=0
ok() { echo "ok    $*"; pass=$((pass + 1)); }
bad() { echo "FAIL  $*"; fail=$((fail + 1)); }
grid=(--grid optimizer.lr=0.01,0.001 --grid 'model.hidden=[8],[16,8]')

# check_table DIR ROWS REASON: sweep.csv has ROWS rows, each equal to its run's summary.json and
# ending with REASON; prints the problems, if any.
check_table() {
    python3 - "$1" "$2" "$3" <<'PY'
import csv, json, os, sys
directory, count, reason = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = list(csv.DictReader(open(os.path.join(directory, "sweep.csv"))))
problems = [] if len(rows) == count else [f"{len(rows)} rows, expected {count}"]
fields = {"test_accuracy": "test_accuracy", "test_loss": "test_loss", "best_val_loss": "best_val_loss",
          "best_val_accuracy": "best_val_accuracy", "wall_seconds": "wall_seconds",
          "samples_per_second": "train_samples_per_second"}
for row in rows:
    run = os.path.join(directory, row["run"])
    summary = json.load(open(os.path.join(row["directory"], "summary.json")))
    if not row["directory"].startswith(run + "/version_"): problems.append(f"{row['run']}: directory {row['directory']}")
    for column, key in fields.items():
        if float(row[column]) != summary[key]: problems.append(f"{row['run']}: {column} {row[column]} != {summary[key]}")
    if int(row["epochs"]) != summary["epochs"]: problems.append(f"{row['run']}: epochs")
    if row["end_reason"] != summary["end_reason"] or row["end_reason"] != reason:
        problems.append(f"{row['run']}: end_reason {row['end_reason']} (summary {summary['end_reason']}, expected {reason})")
    for name in ("config.yaml",):
        if not os.path.isfile(os.path.join(run, name)): problems.append(f"{row['run']}: no {name}")
    if not os.path.isfile(os.path.join(row["directory"], "checkpoints", "last.safetensors")): problems.append(f"{row['run']}: no last")
    if row["lint"] != "ok" or row["error"]: problems.append(f"{row['run']}: lint {row['lint']!r} error {row['error']!r}")
print("; ".join(problems))
PY
}

# 1. A 4-run sweep, two at a time.
dir=$work/grid
"$bin" sweep --config Config/iris.yaml "${grid[@]}" --parallel 2 --headless --log-dir "$dir" >"$work/first.out" 2>&1
rc=$?
problems=$(check_table "$dir" 4 completed)
started=$(grep -c '^started ' "$work/first.out")
if [ $rc -eq 0 ] && [ -z "$problems" ] && [ "$started" -eq 4 ] && grep -q '2 at a time' "$work/first.out"; then
    ok "4-run sweep, --parallel 2: exit 0, sweep.csv rows equal each summary.json, run directories complete"
else bad "4-run sweep: exit $rc, $started started, $problems ($(tail -2 "$work/first.out"))"; fi

# 2. The same command again reruns nothing.
cp "$dir/sweep.csv" "$work/first.csv"
"$bin" sweep --config Config/iris.yaml "${grid[@]}" --parallel 2 --headless --log-dir "$dir" >"$work/second.out" 2>&1
rc=$?
versions=$(find "$dir" -maxdepth 2 -name 'version_*' | wc -l)
same=$(python3 -c "import sys; a, b = (sorted(open(f).read().splitlines()) for f in sys.argv[1:]); print(a == b)" \
       "$work/first.csv" "$dir/sweep.csv")
if [ $rc -eq 0 ] && ! grep -q '^started ' "$work/second.out" && grep -q 'skipping 4 finished runs' "$work/second.out" \
   && [ "$versions" -eq 4 ] && [ "$same" = True ]; then
    ok "second call: exit 0, nothing rerun, same rows"
else bad "second call: exit $rc, $versions version dirs, same rows $same: $(cat "$work/second.out")"; fi

# 3. A combination that cannot run (bce on raw logits) is a row with its error.
dir=$work/fails
"$bin" sweep --config Config/iris.yaml --grid loss.name=cross_entropy,bce --set trainer.max_epochs=2 --headless \
    --log-dir "$dir" >"$work/fails.out" 2>&1
rc=$?
row=$(python3 -c "
import csv, sys
rows = {r['loss.name']: r for r in csv.DictReader(open(sys.argv[1]))}
print(rows['cross_entropy']['end_reason'], rows['bce']['end_reason'], rows['bce']['lint'], '|', rows['bce']['error'])" "$dir/sweep.csv" 2>&1)
case $rc:$row in
    "0:completed error raw logits into bce | "?*) ok "a failing combination is a row with its error: $row" ;;
    *) bad "failing combination: exit $rc, row: $row" ;;
esac

# 4. SIGINT mid-sweep: the two runs going on stop and save last; the other two never start.
dir=$work/interrupted
long="--set trainer.max_epochs=100000 --set trainer.log_every_steps=1000"
"$bin" sweep --config Config/iris.yaml "${grid[@]}" $long --parallel 2 --headless --log-dir "$dir" >"$work/int.out" 2>&1 &
pid=$!
for _ in $(seq 1 400); do
    [ "$(find "$dir" -path '*/checkpoints/last.safetensors' 2>/dev/null | wc -l)" -ge 2 ] && break; sleep 0.05
done
"$bin" sweep --config Config/iris.yaml "${grid[@]}" --headless --log-dir "$dir" >"$work/locked.out" 2>&1
locked=$?
children=$(pgrep -P $pid | wc -l)
kill -INT $pid
wait $pid
rc=$?
problems=$(check_table "$dir" 2 stopped)
left=$(pgrep -f "fit --config $dir" | wc -l)
if [ $rc -eq 0 ] && [ -z "$problems" ] && [ "$children" -eq 2 ] && [ "$left" -eq 0 ] && grep -q '^sweep stopped' "$work/int.out" \
   && [ "$(grep -c '^started ' "$work/int.out")" -eq 2 ]; then
    ok "SIGINT mid-sweep: exit 0, the 2 runs going on stopped with last saved, the 2 queued never started"
else bad "SIGINT: exit $rc, $children children, $left left, $problems: $(cat "$work/int.out")"; fi
if [ $locked -eq 1 ] && grep -q 'in use by another sweep' "$work/locked.out" && [ "$(wc -l <"$work/locked.out")" -eq 2 ]; then
    ok "a second sweep into a running sweep's directory: exit 1, $(tail -1 "$work/locked.out")"
else bad "second sweep meanwhile: exit $locked: $(cat "$work/locked.out")"; fi

# 5. The same command again resumes the stopped runs in place and runs the other two.
"$bin" sweep --config Config/iris.yaml "${grid[@]}" --set trainer.max_epochs=20 --parallel 2 --headless \
    --log-dir "$dir" >"$work/resume.out" 2>&1
rc=$?
problems=$(check_table "$dir" 4 completed)
versions=$(find "$dir" -maxdepth 2 -name 'version_*' | wc -l)
if [ $rc -eq 0 ] && [ -z "$problems" ] && [ "$versions" -eq 4 ] && [ "$(grep -c 'resuming from last' "$work/resume.out")" -eq 2 ]; then
    ok "after the stop: the 2 stopped runs resume in their directories, the 2 others run"
else bad "resume after stop: exit $rc, $versions versions, $problems: $(cat "$work/resume.out")"; fi

# 6. Bad grids and options: one line, exit 1 (2 and ArgumentParser's usage lines for usage errors), nothing run.
check() {   # NAME EXIT FRAGMENT ARGS...
    local name=$1 want=$2 fragment=$3; shift 3
    "$bin" sweep "$@" --log-dir "$work/bad" >"$work/bad.out" 2>&1
    local rc=$? lines
    lines=$(wc -l <"$work/bad.out")
    if [ $rc -eq "$want" ] && grep -qF -- "$fragment" "$work/bad.out" && { [ "$want" -eq 2 ] || [ "$lines" -le 2 ]; } && [ ! -e "$work/bad/sweep.csv" ]; then
        ok "$name: exit $rc, $(tail -1 "$work/bad.out")"
    else bad "$name: exit $rc (want $want), $(cat "$work/bad.out")"; fi
}
check "unknown grid key" 1 "unknown key 'optimizer.lrr'; did you mean 'lr'?" --config Config/iris.yaml --grid optimizer.lrr=0.1,0.01
check "grid entry without =" 1 "KEY=V1,V2" --config Config/iris.yaml --grid optimizer.lr
check "repeated grid value" 1 "each value once" --config Config/iris.yaml --grid optimizer.lr=0.1,0.1
check "value of the wrong type" 1 "optimizer.lr" --config Config/iris.yaml --grid optimizer.lr=fast,slow
check "no grid" 1 "missing 'sweep.grid'" --config Config/iris.yaml
check "--parallel 0" 2 "--parallel must be in 1...64" --config Config/iris.yaml --grid optimizer.lr=0.1 --parallel 0
check "missing config" 1 "cannot read config" --config nowhere.yaml --grid optimizer.lr=0.1

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
