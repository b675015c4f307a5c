#!/usr/bin/env bash
# `trainboard plot` on two real iris runs: a PNG (signature, IHDR size), an SVG (parses as
# XML, one stroked line per run: cairo merges collinear segments, so a series path is told by
# its single move-to and several line-tos), a PDF (header), a per-step metric, and the one-line errors
# with their exit codes (1 for a bad run directory, 2 for bad usage).
#
# Usage: Tests/cli/plot_test.sh BINARY
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/plot-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$repo"
for lr in 0.01 0.001; do
    "$bin" fit --config Config/iris.yaml --headless --log-dir "$work/lr-$lr" --set trainer.max_epochs=8 \
        --set optimizer.lr=$lr >/dev/null 2>&1 || { echo "setup: fit with lr $lr failed"; exit 1; }
done
a=$work/lr-0.01/version_0 b=$work/lr-0.001/version_0
pass=0 fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

# check DESCRIPTION EXPECTED_EXIT MESSAGE_FRAGMENT ARGS...
check() {
    local what=$1 want=$2 fragment=$3; shift 3
    local out rc
    out=$(timeout 60 "$bin" plot "$@" 2>&1 </dev/null); rc=$?
    if [ $rc -ne "$want" ]; then bad "$what" "exit $rc, expected $want: $out"
    elif ! grep -qF -- "$fragment" <<<"$out"; then bad "$what" "no '$fragment' in: $out"
    elif [ $rc -ne 0 ] && [ "$(grep -cv '^$' <<<"$out")" -gt 1 ] && [ $want -ne 2 ]; then bad "$what" "more than one line: $out"
    else ok "$what"; fi
}

check "two runs as PNG" 0 "wrote $work/two.png" "$a" "$b" --out "$work/two.png" --size 640x400
python3 - "$work/two.png" <<'PY' && ok "PNG signature and 640x400 IHDR" || bad "PNG" "signature or size"
import struct, sys
raw = open(sys.argv[1], "rb").read()
assert raw[:8] == b"\x89PNG\r\n\x1a\n" and raw[12:16] == b"IHDR", raw[:16]
assert struct.unpack(">II", raw[16:24]) == (640, 400), struct.unpack(">II", raw[16:24])
PY

check "two runs as SVG" 0 "wrote $work/two.svg" "$a" "$b" --metric loss --out "$work/two.svg"
python3 - "$work/two.svg" <<'PY' && ok "SVG parses, one stroked line per run" || bad "SVG" "not XML or wrong path count"
import sys, xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[1]).getroot()
glyphs = {id(p) for s in root.iter(ns + "symbol") for p in s.iter(ns + "path")}
lines = [p for p in root.iter(ns + "path") if id(p) not in glyphs and "fill:none" in p.get("style", "")
         and p.get("d").split().count("M") == 1 and p.get("d").split().count("L") >= 3]
assert len(lines) == 2, len(lines)
PY

check "one run as PDF" 0 "wrote $work/one.pdf" "$a" --metric loss --metric val_loss --out "$work/one.pdf"
[ "$(head -c 5 "$work/one.pdf")" = "%PDF-" ] && ok "PDF header" || bad "PDF" "no %PDF- header"
check "per-step metrics" 0 "wrote" "$a" "$b" --metric batch_loss --metric lr --log-y --out "$work/steps.png"

"$bin" fit --config Config/iris.yaml --headless --log-dir "$work/noval" --set trainer.max_epochs=2 \
    --set data.validation_split=0 >/dev/null 2>&1 || { echo "setup: fit without validation failed"; exit 1; }
c=$work/noval/version_0
check "a metric no run has" 1 "no val_loss values in $c" "$c" --metric val_loss --out "$work/x.png"
check "a run without the metric among others" 0 "$c has no val_loss values; left out" "$a" "$c" --metric val_loss --out "$work/some.png"

mkdir -p "$work/empty"
check "a directory that is not a run" 1 "$work/empty: not a run directory (no events.jsonl)" "$work/empty" --out "$work/x.png"
check "a missing directory" 1 "$work/nope: no such run directory" "$a" "$work/nope" --out "$work/x.png"
check "an unknown metric" 2 "metric" "$a" --metric f1 --out "$work/x.png"
check "an unknown extension" 2 "--out must end in .png, .svg or .pdf, got '$work/x.jpg'" "$a" --out "$work/x.jpg"
check "a bad size" 2 "--size wants WIDTHxHEIGHT" "$a" --out "$work/x.png" --size 10x10
check "an unwritable output" 1 "$work/no/x.png: cannot write the figure" "$a" --out "$work/no/x.png"
[ ! -e "$work/x.png" ] && ok "no file written on error" || bad "errors" "x.png was written"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
