#!/usr/bin/env bash
# Fault injection against the real `trainboard` binary:
#  - SIGKILL in the middle of a checkpoint write, for certain: TRAINBOARD_TEST_WRITE_PAUSE
#    makes each write pause after its first bytes and say so on stderr, and the kill lands
#    in that pause; the file being written must be a temporary one (.NAME.PID.UUID.tmp,
#    left partial), every *.safetensors left behind is complete and loads; events.jsonl
#    and metrics.csv still read (`watch --snapshot`, check_record.py), and resuming
#    from `last` continues them (one header, every epoch once, one run_resumed);
#  - a full disk, on a 64 KiB tmpfs filled up (a loop-mounted file system when tmpfs
#    is refused) where mounting is permitted, and always through an ENOSPC injected by
#    TRAINBOARD_TEST_FULL_DISK: a one-line ENOSPC error, exit 1, and the previous
#    checkpoints (last and best) byte-for-byte intact, no temporary file left (never
#    skipped: a case that cannot be set up fails);
#  - SIGINT and SIGTERM during headless training: the step finishes, `last` is
#    saved, exit 0;
#  - an error thrown inside the training step (the loss), headless and in the
#    live dashboard under tmux (terminal restored), and a NaN loss: one
#    `Error:` line, exit 1, never a signal;
#  - run records (issue 16): a second run of a config leaves the first run's files
#    byte for byte (it goes to LOG_DIR/version_1); runs started together get their own
#    versions; a run into a running run's directory (--overwrite, resume) exits 1 naming
#    the directory and the pid; a resumed run appends.
# Usage: Tests/faults/faults_test.sh BINARY [KILL_ROUNDS]   Prints "N passed, N failed".
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
rounds=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/faults.XXXXXX")
mnt=""
cleanup() { [ -n "$mnt" ] && umount "$mnt" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cd "$repo"
pass=0 fail=0
ok() { echo "ok    $*"; pass=$((pass + 1)); }
bad() { echo "FAIL  $*"; fail=$((fail + 1)); }
valid() { python3 "$here/check_checkpoint.py" "$@"; }
record() { python3 "$here/check_record.py" "$@"; }
# The global step and completed epochs stored in a checkpoint's trainer state.
state() { python3 -c "
import json, struct, sys
raw = open(sys.argv[1], 'rb').read(); n = struct.unpack('<Q', raw[:8])[0]
s = json.loads(json.loads(raw[8:8 + n])['__metadata__']['trainboard.state']); print(s['step'], s['epoch'])" "$1"; }
# Loads a checkpoint the way users do (full header validation + model match).
loads() { "$bin" eval --config Config/iris.yaml --checkpoint "$1" >/dev/null 2>"$work/eval.err"; }
wait_for() { for _ in $(seq 1 600); do [ -e "$1" ] && return 0; sleep 0.05; done; return 1; }
long="--headless --set trainer.max_epochs=100000 --set trainer.log_every_steps=1000000"

# 1. SIGKILL in the middle of a checkpoint write; the record still reads, and resuming continues it.
# pauses FILE: how many writes the process writing stderr to FILE has paused in so far.
pauses() { grep -c 'TRAINBOARD_TEST_WRITE_PAUSE: .* bytes written to ' "$1" 2>/dev/null; }
for i in $(seq 1 "$rounds"); do
    dir=$work/kill$i run=$work/kill$i/version_0 err=$work/kill$i.err
    TRAINBOARD_TEST_WRITE_PAUSE=0.4 "$bin" fit --config Config/iris.yaml $long --log-dir "$dir" >/dev/null 2>"$err" &
    pid=$!
    if ! wait_for "$run/checkpoints/last.safetensors"; then bad "kill round $i: no checkpoint appeared"; kill -9 $pid; continue; fi
    # A checkpoint exists; wait for the next write to pause, and kill the process in that pause.
    seen=$(pauses "$err")
    for _ in $(seq 1 400); do [ "$(pauses "$err")" -gt "$seen" ] && break; sleep 0.02; done
    paused=$(pauses "$err")
    writing=$(grep -o 'bytes written to .*, pausing$' "$err" | tail -1 | sed 's/^bytes written to //; s/, pausing$//')
    kill -9 $pid; wait $pid 2>/dev/null; rc=$?
    shopt -s nullglob dotglob
    files=("$run"/checkpoints/*.safetensors)
    temps=("$run"/checkpoints/.*.tmp)
    shopt -u nullglob dotglob
    problems=""
    [ $rc -eq 137 ] || problems+=" exit $rc (expected 137);"
    # The kill landed mid-write: the file being written is a temporary one, still there and incomplete.
    if [ "$paused" -le "$seen" ]; then problems+=" no write was under way within 8 s;"
    else
        case $(basename "$writing") in .*.safetensors.*.tmp) ;; *) problems+=" the write under way went to $writing, not a temporary file;" ;; esac
        [ -e "$writing" ] || problems+=" the partial $writing is gone;"
        valid "$writing" >/dev/null 2>&1 && problems+=" $writing was complete when the kill landed;"
        partial=$(stat -c %s "$writing" 2>/dev/null)
    fi
    [ ${#files[@]} -ge 1 ] || problems+=" no checkpoint;"
    valid "${files[@]}" >"$work/valid.out" || problems+=" $(cat "$work/valid.out");"
    for f in "${files[@]}"; do
        case $(basename "$f") in .*) problems+=" temporary file $f looks like a checkpoint;" ;; esac
        loads "$f" || problems+=" $f does not load: $(cat "$work/eval.err");"
    done
    killed=$(record "$run") || problems+=" record after the kill: $killed;"
    "$bin" watch "$run" --snapshot 120x40 >"$work/snap.out" 2>&1 && grep -q "step [0-9]*/" "$work/snap.out" \
        || problems+=" watch cannot read the killed run: $(head -c 200 "$work/snap.out");"
    read -r step epoch < <(state "$run/checkpoints/last.safetensors")
    target=$((epoch + 2))
    out=$("$bin" fit --config Config/iris.yaml --headless --set trainer.log_every_steps=1000000 --log-dir "$dir" \
        --set trainer.max_epochs=$target --set trainer.resume="$run/checkpoints/last.safetensors" 2>&1) \
        || problems+=" resume failed: $(tail -1 <<<"$out");"
    resumed=$(record "$run" --complete --epochs $target --resumed-at "$step") || problems+=" record after resume: $resumed;"
    [ "$(ls "$dir")" = version_0 ] || problems+=" resume made another directory: $(ls "$dir" | tr '\n' ' ');"
    if [ -z "$problems" ]; then
        ok "SIGKILL round $i, mid-write ($(basename "$writing") left with ${partial:-?} bytes): ${#files[@]} checkpoints complete and loadable, ${#temps[@]} stale temporary files (.*.tmp); record readable ($killed); resumed at step $step to $resumed"
    else
        bad "SIGKILL round $i:$problems"
    fi
done

# 2. Disk full, two ways: a 64 KiB tmpfs filled up (a loop-mounted ext2 when tmpfs is refused)
#    where mounting is permitted, and always an ENOSPC injected by TRAINBOARD_TEST_FULL_DISK
#    (every write into that directory fails at its first byte), so the case runs where nothing
#    can be mounted. A case that cannot be set up fails; it is never skipped.
# disk_full HOW CHECKPOINT_DIR dd|inject REFUSAL: a run checkpoints into CHECKPOINT_DIR; with the disk
# full (dd fills the file system, inject sets the variable), resuming it hits ENOSPC at its next
# checkpoint. REFUSAL yes also checks that another run into that checkpoint_dir is refused.
disk_full() {
    local how=$1 ck=$2 fill=$3 dir=$work/full-$3 out rc before after err leftovers full=()
    "$bin" fit --config Config/iris.yaml --headless --set trainer.max_epochs=1 --log-dir "$dir" \
        --set trainer.checkpoint_dir="$ck" >/dev/null 2>&1
    before=$(cd "$ck" 2>/dev/null && sha256sum last.safetensors best.safetensors 2>/dev/null)
    if [ "$4" = yes ]; then
        # Another run into that checkpoint_dir is refused (its checkpoints belong to the first run).
        out=$("$bin" fit --config Config/iris.yaml --headless --set trainer.max_epochs=2 --log-dir "$dir" \
            --set trainer.checkpoint_dir="$ck" 2>&1); rc=$?
        if [ $rc -eq 1 ] && grep -q "^Error: trainer.checkpoint_dir $ck already holds another run's checkpoints.*--overwrite" <<<"$out" \
           && [ "$before" = "$(cd "$ck" && sha256sum last.safetensors best.safetensors 2>/dev/null)" ]; then
            ok "a second run into a checkpoint_dir holding checkpoints: exit 1, '$(grep '^Error:' <<<"$out")'"
        else
            bad "second run into a used checkpoint_dir: exit $rc; $(tail -2 <<<"$out")"
        fi
    fi
    if [ "$fill" = dd ]; then dd if=/dev/zero of="$(dirname "$ck")/filler" bs=4k 2>/dev/null   # fills the file system
    else full=(TRAINBOARD_TEST_FULL_DISK="$ck"); fi
    # Resuming the run continues its record: its next checkpoint hits the full disk.
    out=$(env "${full[@]}" "$bin" fit --config Config/iris.yaml --headless --set trainer.max_epochs=2 --log-dir "$dir" \
        --set trainer.checkpoint_dir="$ck" --set trainer.resume="$ck/last.safetensors" 2>&1); rc=$?
    after=$(cd "$ck" 2>/dev/null && sha256sum last.safetensors best.safetensors 2>/dev/null)
    err=$(grep '^Error:' <<<"$out")
    leftovers=$(ls -A "$ck" 2>/dev/null | grep -v '^last.safetensors$\|^best.safetensors$\|^.lock$')
    if [ -n "$before" ] && [ $rc -eq 1 ] && grep -q "No space left on device (errno 28)" <<<"$err" \
       && [ "$before" = "$after" ] && [ -z "$leftovers" ] && valid "$ck/last.safetensors" && loads "$ck/last.safetensors"; then
        ok "disk full ($how): exit 1, '$err'; previous checkpoint intact, no temporary file left"
    else
        bad "disk full ($how): exit $rc, error '$err', first checkpoint $([ -n "$before" ] && echo written || echo missing), intact=$([ "$before" = "$after" ] && echo yes || echo no), leftovers '$leftovers'"
    fi
}
mnt=$work/small
mkdir -p "$mnt"
how=""
if mount -t tmpfs -o size=64k tmpfs "$mnt" 2>/dev/null; then how="64 KiB tmpfs"
elif truncate -s 1M "$work/disk.img" && mkfs.ext2 -q -F "$work/disk.img" >/dev/null 2>&1 \
     && mount -o loop "$work/disk.img" "$mnt" 2>/dev/null; then how="1 MiB loop-mounted ext2"
else mnt=""; fi
if [ -n "$mnt" ]; then
    disk_full "$how" "$mnt/ck" dd yes
    umount "$mnt"; mnt=""
else
    echo "note  disk full on a real small file system: mounting is not permitted here; the injected ENOSPC case below runs instead"
fi
mkdir -p "$work/injected"
disk_full "ENOSPC injected by TRAINBOARD_TEST_FULL_DISK" "$work/injected/ck" inject "$([ -n "$how" ] && echo no || echo yes)"

# 3. SIGINT / SIGTERM during headless training.
for sig in INT TERM; do
    logdir=$work/sig$sig dir=$work/sig$sig/version_0
    "$bin" fit --config Config/iris.yaml $long --log-dir "$logdir" >"$work/sig.out" 2>&1 &
    pid=$!
    wait_for "$dir/checkpoints/last.safetensors"; sleep 0.3
    kill -$sig $pid; wait $pid; rc=$?
    reason=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['end_reason'])" "$dir/summary.json" 2>/dev/null)
    if [ $rc -eq 0 ] && [ "$reason" = stopped ] && valid "$dir/checkpoints/last.safetensors" && loads "$dir/checkpoints/last.safetensors"; then
        ok "SIG$sig during headless fit: exit 0, end_reason stopped, last.safetensors saved and loadable"
    else
        bad "SIG$sig during headless fit: exit $rc, end_reason '$reason'; $(tail -2 "$work/sig.out")"
    fi
done

# 4. Errors inside training: a loss that throws, and a NaN loss.
out=$("$bin" fit --config Config/breast-cancer.yaml --headless --set loss.name=bce --set trainer.max_epochs=2 \
    --log-dir "$work/throw" 2>&1); rc=$?
err=$(grep '^Error:' <<<"$out")
if [ $rc -eq 1 ] && [ "$(grep -c '^Error:' <<<"$out")" -eq 1 ] && grep -q "bce: all elements of input should be between 0 and 1" <<<"$err"; then
    ok "error thrown in the training step: exit 1, '$err'"
else
    bad "error thrown in the training step: exit $rc; $(tail -3 <<<"$out")"
fi
# Features near Float.greatestFiniteMagnitude, unnormalized, SGD at lr 10: the weights overflow, the loss is NaN.
python3 -c "
import random; random.seed(1)
print('a,b,label')
for i in range(40): print(f'{random.uniform(-3e38, 3e38):.6g},{random.uniform(-3e38, 3e38):.6g},{i % 2}')" > "$work/huge.csv"
out=$("$bin" fit --config Config/iris.yaml --headless --set data.path="$work/huge.csv" --set data.label=label --set "data.class_names=[]" \
    --set data.normalize=none --set optimizer.name=sgd --set optimizer.lr=10 --set trainer.max_epochs=3 \
    --log-dir "$work/nan" 2>&1); rc=$?
if [ $rc -eq 1 ] && grep -qiE "loss is -?(nan|inf)" <<<"$out"; then
    ok "NaN loss: exit 1, '$(grep -i -m1 'loss is' <<<"$out")'"
else
    bad "NaN loss: exit $rc; $(tail -3 <<<"$out")"
fi

# 5. The same error in the live dashboard (tmux): the terminal is restored, then the Error line.
if command -v tmux >/dev/null; then
    sock=faults$$ rcfile=$work/live.rc
    tmux -L "$sock" new-session -d -s live -x 120 -y 40 "cd '$repo'; '$bin' fit --config Config/breast-cancer.yaml \
        --set loss.name=bce --set trainer.max_epochs=2 --log-dir '$work/live' --exit-when-done; echo EXIT=\$? >'$rcfile.tmp'; \
        stty -a | tr ' ' '\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\n' ' ' >>'$rcfile.tmp'; mv '$rcfile.tmp' '$rcfile'; sleep 30"
    for _ in $(seq 1 600); do [ -e "$rcfile" ] && break; sleep 0.1; done
    screen=$(tmux -L "$sock" capture-pane -p -t live 2>/dev/null)
    tmux -L "$sock" kill-server 2>/dev/null
    if grep -q "EXIT=1" "$rcfile" 2>/dev/null && grep -q "^icanon echo" <(sed -n 2p "$rcfile") \
       && grep -q "Error: bce: all elements of input should be between 0 and 1" <<<"$screen"; then
        ok "error in the training step under the live dashboard: terminal restored (icanon echo), Error line, exit 1"
    else
        bad "live dashboard error: $(cat "$rcfile" 2>/dev/null); screen: $(grep -v '^$' <<<"$screen" | tail -2)"
    fi
else
    echo "skip  live dashboard error: tmux not installed"
fi

# 6. Run records (issue 16): nothing a run writes is destroyed by another run.
short="--headless --set trainer.max_epochs=2"
dir=$work/again
"$bin" fit --config Config/iris.yaml $short --log-dir "$dir" >/dev/null 2>&1
before=$(cd "$dir/version_0" 2>/dev/null && sha256sum checkpoints/*.safetensors events.jsonl metrics.csv summary.json)
out=$("$bin" fit --config Config/iris.yaml $short --set trainer.max_epochs=3 --set optimizer.lr=0.05 --log-dir "$dir" 2>&1); rc=$?
after=$(cd "$dir/version_0" 2>/dev/null && sha256sum checkpoints/*.safetensors events.jsonl metrics.csv summary.json)
if [ $rc -eq 0 ] && [ -n "$before" ] && [ "$before" = "$after" ] && [ "$(head -1 <<<"$out")" = "run directory $dir/version_1" ] \
   && [ -s "$dir/version_1/checkpoints/last.safetensors" ]; then
    ok "a second run of a config: the first run's checkpoints and files unchanged byte for byte; '$(head -1 <<<"$out")'"
else
    bad "second run of a config: exit $rc, first line '$(head -1 <<<"$out")', first record $([ -n "$before" ] && [ "$before" = "$after" ] && echo intact || echo changed)"
fi

dir=$work/together
"$bin" fit --config Config/iris.yaml $long --log-dir "$dir" >/dev/null 2>&1 &
pid=$!
wait_for "$dir/version_0/checkpoints/last.safetensors"
out=$("$bin" fit --config Config/iris.yaml $short --log-dir "$dir" --overwrite 2>&1); rc=$?
want="Error: $dir/version_0 is in use by another run (pid $pid): wait for it to end or stop it"
if [ $rc -eq 1 ] && [ "$(wc -l <<<"$out")" -eq 1 ] && [[ $out == "$want"* ]]; then
    ok "--overwrite while the newest version runs: exit 1, '$out'"
else
    bad "--overwrite into a running run: exit $rc; $out"
fi
out=$("$bin" fit --config Config/iris.yaml $short --set trainer.max_epochs=100000 --log-dir "$dir" \
    --set trainer.resume="$dir/version_0/checkpoints/last.safetensors" 2>&1); rc=$?
if [ $rc -eq 1 ] && [ "$(wc -l <<<"$out")" -eq 1 ] && [[ $out == "$want"* ]]; then
    ok "resuming a run that is running: exit 1, the same line"
else
    bad "resume into a running run: exit $rc; $out"
fi
"$bin" fit --config Config/breast-cancer.yaml $short --log-dir "$dir" >"$work/t1.out" 2>&1 &
one=$!
sleep 0.3
"$bin" fit --config Config/iris.yaml $short --log-dir "$dir" >"$work/t2.out" 2>&1; rc2=$?
wait $one; rc1=$?
kill -INT $pid; wait $pid; rc0=$?
runs=$(for v in "$dir"/version_*; do grep -o '"run":"[^"]*"' "$v/events.jsonl" | sort -u | tr '\n' ' '; echo; done)
if [ $rc0 -eq 0 ] && [ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && [ "$(ls "$dir" | tr '\n' ' ')" = "version_0 version_1 version_2 " ] \
   && [ "$(grep -c '^"run":"[a-z-]*/version_[0-9]*" $' <<<"$runs")" -eq 3 ]; then
    ok "three runs at once into one log dir: version_0, _1, _2, one run each ($(tr '\n' ' ' <<<"$runs"))"
else
    bad "runs at once: exits $rc0 $rc1 $rc2, directories $(ls "$dir" | tr '\n' ' '), runs: $runs"
fi

dir=$work/resume
"$bin" fit --config Config/iris.yaml $short --log-dir "$dir" >/dev/null 2>&1
read -r step epoch < <(state "$dir/version_0/checkpoints/last.safetensors")
out=$("$bin" fit --config Config/iris.yaml --headless --set trainer.max_epochs=4 --log-dir "$dir" \
    --set trainer.resume="$dir/version_0/checkpoints/last.safetensors" 2>&1); rc=$?
checked=$(record "$dir/version_0" --complete --epochs 4 --resumed-at "$step"); fine=$?
watched=$("$bin" watch "$dir/version_0" --headless 2>&1)
if [ $rc -eq 0 ] && [ $fine -eq 0 ] && [ "$(ls "$dir")" = version_0 ] && grep -q "^epoch 1/" <<<"$watched" \
   && grep -q "^epoch 4/4" <<<"$watched" && grep -q "resumed from .* at step $step" <<<"$watched"; then
    ok "resume appends: metrics.csv one header, epochs 1-4 ($checked); events.jsonl has run_resumed at step $step; watch shows epochs 1 to 4"
else
    bad "resume appends: exit $rc, record: $checked; $(ls "$dir" | tr '\n' ' '); $(tail -2 <<<"$out")"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
