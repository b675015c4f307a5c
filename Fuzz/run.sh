#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS, one at a time, at the lowest CPU
# priority, and prints one summary line per target (execs, exec/s, coverage).
# Usage: Fuzz/run.sh BIN_DIR WORK_DIR SECONDS [TARGET...]
# Exits 1 when a target finds a crash, leak, timeout or sanitizer report
# (the input is kept as WORK_DIR/artifacts/TARGET/crash-…).
set -u
bin=$1 work=$2 seconds=$3; shift 3
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(FuzzIDX FuzzCSV FuzzConfig FuzzSafetensors)
here=$(cd "$(dirname "$0")" && pwd)
python3 "$here/make_seeds.py" "$work/seeds"
failed=0
for t in "${targets[@]}"; do
    case $t in
        FuzzIDX) kind=idx ;; FuzzCSV) kind=csv ;; FuzzConfig) kind=config ;; FuzzSafetensors) kind=safetensors ;;
        *) echo "unknown target $t"; exit 2 ;;
    esac
    corpus=$work/corpus/$t artifacts=$work/artifacts/$t log=$work/$t.log
    mkdir -p "$corpus" "$artifacts"
    dict=(); [ -f "$work/seeds/$kind.dict" ] && dict=(-dict="$work/seeds/$kind.dict")
    start=$(date +%s)
    nice -n 19 "$bin/$t" "$corpus" "$work/seeds/$kind" "${dict[@]}" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
    rc=$?
    elapsed=$(( $(date +%s) - start ))
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$')
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' <<<"$last" | grep -o '[0-9]*'); ft=$(grep -o 'ft: [0-9]*' <<<"$last" | grep -o '[0-9]*')
    files=$(ls "$corpus" | wc -l)
    crashes=$(ls "$artifacts" | wc -l)
    status=ok
    if [ $rc -ne 0 ] || [ "$crashes" -gt 0 ]; then status="FAILED (exit $rc, $crashes artifacts in $artifacts, log $log)"; failed=1; fi
    printf '%-16s %5ss  execs %-10s exec/s %-7s cov %-6s ft %-6s corpus %-5s %s\n' \
        "$t" "$elapsed" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$files" "$status"
done
exit $failed
