#!/usr/bin/env bash
# Interop checks that need no torch (part of `make test`):
#  - Trainboard -> numpy: checkpoints this build writes (a short iris and breast-cancer
#    `fit`) are read by the `safetensors` package and their forward pass, computed in numpy
#    (numpy_forward.py), matches `trainboard eval --predictions`: outputs within 1e-5 and
#    every predicted class;
#  - the shared loss golden file: `trainboard losses eval ../shared/golden/losses.json`
#    checked by ../shared/golden/check.py (skipped, saying so, only when ../shared is absent).
# PyTorch -> Trainboard is Tests/CheckpointTests/PyTorchInteropTests.swift (committed fixtures).
# Needs python3 with numpy and safetensors (`make test` installs them when missing).
# Usage: Tests/interop/interop_test.sh BINARY   Prints "N passed, N failed".
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/interop.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$repo"
pass=0 fail=0
ok() { echo "ok    $*"; pass=$((pass + 1)); }
bad() { echo "FAIL  $*"; fail=$((fail + 1)); }

if ! python3 -c 'import numpy, safetensors' 2>"$work/import.err"; then
    bad "python3 cannot import numpy and safetensors: $(tail -1 "$work/import.err") (make test installs them)"
else
    for name in iris breast-cancer; do
        out=$("$bin" fit --config "Config/$name.yaml" --headless --set trainer.max_epochs=3 --log-dir "$work/$name" 2>&1) \
            || { bad "$name: fit failed: $(tail -1 <<<"$out")"; continue; }
        checkpoint=$(find "$work/$name" -path '*/checkpoints/last.safetensors' | head -1)
        [ -n "$checkpoint" ] || { bad "$name: no last.safetensors under $work/$name"; continue; }
        out=$("$bin" eval --config "Config/$name.yaml" --checkpoint "$checkpoint" --predictions "$work/$name.json" 2>&1) \
            || { bad "$name: eval failed: $(tail -1 <<<"$out")"; continue; }
        if check=$(python3 "$here/numpy_forward.py" "$checkpoint" "$work/$name.json" 2>&1); then
            ok "$name: $(head -1 <<<"$check" | sed 's/^ok *//')"
        else
            bad "$name: $(grep -v 'passed,' <<<"$check" | tail -3)"
        fi
    done
fi

golden=$repo/../shared/golden
if [ -f "$golden/losses.json" ] && [ -f "$golden/check.py" ]; then
    if "$bin" losses eval "$golden/losses.json" >"$work/results.json" 2>"$work/losses.err" \
       && check=$(python3 "$golden/check.py" "$golden/losses.json" "$work/results.json" 2>&1); then
        ok "losses eval ../shared/golden/losses.json: check.py says '$(tail -1 <<<"$check")' ($(grep worst <<<"$check"))"
    else
        bad "losses eval ../shared/golden/losses.json: $(cat "$work/losses.err") $(grep -v '^worst' <<<"${check:-}" | tail -5)"
    fi
else
    echo "skip  losses eval ../shared/golden/losses.json: $golden is absent (CI has ../shared beside the repo)"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
