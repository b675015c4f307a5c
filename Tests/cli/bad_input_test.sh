#!/usr/bin/env bash
# Feeds the real `trainboard` binary malformed and hostile inputs and asserts,
# for each, the exit code (1 for bad input, 2 for bad usage; 0 where a per-item
# error is part of the output, as in `losses eval`), a fragment of the
# one-line message, and that nothing exits by a signal.
#
# Usage: Tests/cli/bad_input_test.sh BINARY [--update-doc]
#   --update-doc  rewrites the table in docs/robustness.md from this run's real output.
# Prints one line per case and "N passed, N failed"; exits 1 if any failed.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
update_doc=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/bad-input.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 "$here/make_bad_inputs.py" "$work"
cd "$work"

cat > csv.yaml <<'YAML'
data: {source: csv, path: good.csv, label: label, batch_size: 8, test_split: 0.2, validation_split: 0.2}
model: {hidden: [4]}
trainer: {max_epochs: 1}
log_dir: runs/csv
YAML
cat > idx.yaml <<'YAML'
data: {source: idx, train_images: images.idx, train_labels: labels.idx, test_images: images.idx,
       test_labels: labels.idx, batch_size: 2, validation_split: 0}
model: {hidden: [4]}
trainer: {max_epochs: 1}
log_dir: runs/idx
YAML
printf 'data:\n  source: csv\n  path: good.csv\n    label: label\n' > invalid.yaml
python3 -c "
lines = ['a: &a [x, x, x, x, x, x, x, x, x]']
for p, c in zip('abcdefghi', 'bcdefghij'): lines.append(c + ': &' + c + ' [' + ', '.join(['*' + p] * 9) + ']')
print('\n'.join(lines))" > laughs.yaml
cp csv.yaml plugin.yaml && printf 'loss: {name: cross_entropy, plugins: [libz.so.1]}\n' >> plugin.yaml

# A checkpoint of the csv model to feed eval and resume.
"$bin" fit --config csv.yaml --headless >/dev/null 2>&1 || { echo "setup: fit of csv.yaml failed"; exit 1; }
ck=runs/csv/version_0/checkpoints/last.safetensors   # the first run of csv.yaml
python3 - "$ck" <<'PY'
import json, struct, sys
raw = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n])
buf = raw[8 + n:]
def write(name, h, b):
    hb = json.dumps(h).encode()
    open(name, "wb").write(struct.pack("<Q", len(hb)) + hb + b)
h = dict(header); h["extra.weight"] = {"dtype": "F32", "shape": [0], "data_offsets": [len(buf), len(buf)]}
write("extra-name.safetensors", h, buf)
h = dict(header); e = h["0.weight"]; h["0.weight"] = {"dtype": "I32", "shape": e["shape"], "data_offsets": e["data_offsets"]}
write("int-weights.safetensors", h, buf)
open("truncated-checkpoint.safetensors", "wb").write(raw[: len(raw) // 2])
def with_meta(name, key, value):
    h = json.loads(json.dumps(header))
    if value is None: del h["__metadata__"]
    else: h["__metadata__"][key] = value
    write(name, h, buf)
with_meta("badnorm.safetensors", "trainboard.normalization", "{broken")
with_meta("badstate.safetensors", "trainboard.state", "[1, 2]")
with_meta("weights-only.safetensors", None, None)
optimizer = json.loads(header["__metadata__"]["trainboard.optimizer"])
first = sorted(optimizer)[0]
optimizer[first]["shape"] = ",".join("-" + d for d in optimizer[first]["shape"].split(","))
with_meta("negative-optimizer-shape.safetensors", "trainboard.optimizer", json.dumps(optimizer))
open("first-optimizer-key", "w").write(first)
PY

pass=0 fail=0 rows=()
# check DESCRIPTION EXPECTED_EXIT MESSAGE_FRAGMENT ARGS...
check() {
    local what=$1 want=$2 fragment=$3; shift 3
    local out rc line
    out=$(timeout 300 "$bin" "$@" 2>&1 </dev/null); rc=$?
    line=$(grep -F -m1 -- "$fragment" <<<"$out" || true)
    [ -n "$line" ] || line=$(grep -m1 -v '^$' <<<"$out")
    if [ $rc -ge 128 ]; then
        echo "FAIL  $what: killed by signal $((rc - 128)) (exit $rc)"; fail=$((fail + 1))
    elif [ $rc -ne "$want" ]; then
        echo "FAIL  $what: exit $rc, expected $want; output: $line"; fail=$((fail + 1))
    elif ! grep -qF -- "$fragment" <<<"$out"; then
        echo "FAIL  $what: message lacks '$fragment'; output: $(head -c 400 <<<"$out")"; fail=$((fail + 1))
    else
        echo "ok    $what (exit $rc)"; pass=$((pass + 1))
    fi
    rows+=("| $what | \`trainboard $*\` | $rc | \`${line//|/\\|}\` |")
}

# Data files: IDX, gzip, CSV (through `data inspect` and through `fit`).
check "IDX truncated payload" 1 "truncated.idx: truncated payload: expected 8 bytes after the header, found 5" data inspect truncated.idx
check "IDX trailing bytes" 1 "trailing.idx: unexpected trailing data: expected 2 bytes after the header, found 3" data inspect trailing.idx
check "IDX truncated header" 1 "short-header.idx: truncated header: expected 16 bytes, found 6" data inspect short-header.idx
check "IDX bad magic" 1 "bad-magic.idx: bad magic: expected 00 00 at byte 0, found 01 02" data inspect bad-magic.idx
check "IDX unknown type code" 1 "bad-type.idx: unknown IDX type code 0x07 at byte 2" data inspect bad-type.idx
check "IDX dimensions overflow (0 samples of 2^64 values)" 1 "overflow.idx: dimensions [0, 65536, 65536, 65536, 65536] describe more elements than can be addressed" data inspect overflow.idx
check "gzip truncated" 1 "truncated.idx.gz: damaged gzip stream: stream ends early" data inspect truncated.idx.gz
check "gzip corrupt deflate data" 1 "corrupt.idx.gz: damaged gzip stream:" data inspect corrupt.idx.gz
check "gzip trailing garbage" 1 "trailing-garbage.idx.gz: damaged gzip stream: unexpected data after the gzip member" data inspect trailing-garbage.idx.gz
check "missing data file" 1 "nope.csv: cannot read file: No such file or directory" data inspect nope.csv
check "a directory as data file" 1 "cannot read file: not a regular file" data inspect runs
check "IDX images/labels count mismatch" 1 "images.idx: holds 4 samples but labels3.idx holds 3" fit --config idx.yaml --headless --set data.train_labels=labels3.idx
check "IDX float labels" 1 "float-labels.idx: expected integer labels of rank 1, found f32 of shape [4]" fit --config idx.yaml --headless --set data.train_labels=float-labels.idx
check "IDX out-of-range class label" 1 "huge-label.idx: sample 2: label 2147483647 is out of range (allowed: integers 0...65535)" fit --config idx.yaml --headless --set data.train_labels=huge-label.idx
check "IDX negative label" 1 "negative-label.idx: sample 2: negative label -3" fit --config idx.yaml --headless --set data.train_labels=negative-label.idx
check "IDX truncated image file in fit" 1 "Error: truncated.idx: truncated payload" fit --config idx.yaml --headless --set data.train_images=truncated.idx
check "CSV ragged row" 1 "ragged.csv: line 3: expected 3 fields, found 2" data inspect ragged.csv
check "CSV non-numeric cell" 1 "nonnumeric.csv: line 3, column 'b': not a number: \"abc\"" data inspect nonnumeric.csv
check "CSV missing value" 1 "missing.csv: line 3, column 'b': missing value" data inspect missing.csv
check "CSV unterminated quote" 1 "quote.csv: line 2: quoted field is never closed" data inspect quote.csv
check "CSV empty file" 1 "empty.csv: empty file: expected a header line" data inspect empty.csv
check "CSV missing label column" 1 "good.csv: no column 'species'; columns are: a, b, label" data inspect good.csv --label species
check "CSV missing label column in fit" 1 "Error: good.csv: no column 'species'" fit --config csv.yaml --headless --set data.label=species
check "CSV ragged row in fit" 1 "Error: ragged.csv: line 3: expected 3 fields, found 2" fit --config csv.yaml --headless --set data.path=ragged.csv
check "CSV label 2 in a binary task" 1 "binary3.csv: line 4: label 2 is out of range (allowed: 0 or 1 for a binary task)" fit --config csv.yaml --headless --set data.path=binary3.csv --set data.task=binary
check "CSV class index above 65535" 1 "biglabel.csv: line 3: label 99999999 is out of range (allowed: integers 0...65535)" fit --config csv.yaml --headless --set data.path=biglabel.csv

# Data that parses but holds nothing to learn from (issue 19).
check "CSV header without data rows" 1 "header-only.csv: no data rows: expected at least one row after the header (line 1)" data inspect header-only.csv
check "CSV header without data rows in fit" 1 "Error: header-only.csv: no data rows" fit --config csv.yaml --headless --set data.path=header-only.csv
check "CSV without feature columns in fit" 1 "Error: label-only.csv: no feature columns: the header has only the label column 'label'" fit --config csv.yaml --headless --set data.path=label-only.csv
check "CSV multiclass label of one class" 1 "Error: one-class.csv: all 30 samples have label 'x': a multiclass task needs at least 2 classes" fit --config csv.yaml --headless --set data.path=one-class.csv
check "CSV binary label of one class" 1 "Error: bin-all-ones.csv: all 30 samples have label '1': a binary task needs both 0 and 1" fit --config csv.yaml --headless --set data.path=bin-all-ones.csv --set data.task=binary
check "CSV too small for its test split" 1 "Error: tiny.csv: data.test_split 0.2 of 2 samples leaves no test samples" fit --config csv.yaml --headless --set data.path=tiny.csv
check "CSV too small for its validation split" 1 "Error: three-rows.csv: data.validation_split 0.2 of 2 samples leaves no validation samples (0 turns validation off)" fit --config csv.yaml --headless --set data.path=three-rows.csv
check "CSV constant column, standardized (trains, no NaN)" 0 "ended: completed" fit --config csv.yaml --headless --set data.path=constant.csv --set data.normalize=standard
check "IDX labels of one class" 1 "Error: same-labels.idx: all 4 samples have label '1': a multiclass task needs at least 2 classes" fit --config idx.yaml --headless --set data.train_labels=same-labels.idx
check "IDX binary positive_classes matching no label" 1 "Error: labels.idx: data.positive_classes [7] match no label: all 4 samples have label '0'" fit --config idx.yaml --headless --set data.task=binary --set 'data.positive_classes=[7]'
check "IDX files of zero samples" 1 "Error: no-images.idx: no samples: dimensions [0, 2, 2] hold 0 items, expected at least one" fit --config idx.yaml --headless --set data.train_images=no-images.idx --set data.train_labels=no-labels.idx
check "IDX images of zero size" 1 "Error: empty-images.idx: no feature values: samples of shape [0, 2] hold 0 values each" fit --config idx.yaml --headless --set data.train_images=empty-images.idx

# Config files.
check "config file missing" 1 "nope.yaml: cannot read config" fit --config nope.yaml --headless
check "config invalid YAML" 1 "invalid.yaml: invalid YAML:" print-config --config invalid.yaml
check "config of nested aliases (billion laughs, 9^10 values)" 1 "laughs.yaml: invalid YAML: the document expands to more than 100000 values" print-config --config laughs.yaml
check "config unknown key (typo)" 1 "csv.yaml: unknown key 'trainer.max_epoch'; did you mean 'max_epochs'?" print-config --config csv.yaml --set trainer.max_epoch=3
check "config unknown section" 1 "unknown key 'optimiser'" print-config --config csv.yaml --set optimiser.lr=1
check "config wrong type" 1 "'trainer.max_epochs' must be an integer, found a string (ten)" print-config --config csv.yaml --set trainer.max_epochs=ten
check "config wrong type (list)" 1 "'model.hidden' must be a list of integers" print-config --config csv.yaml --set model.hidden=wide
check "config bad enum value" 1 "'optimizer.name' cannot be 'adamx': expected one of sgd, adam, adamw, rmsprop" print-config --config csv.yaml --set optimizer.name=adamx
check "config value out of range" 1 "'optimizer.lr' cannot be -1: expected a number in 0.0...10.0" print-config --config csv.yaml --set optimizer.lr=-1
check "config CSV source without path" 1 "missing 'data.path' (the CSV file to read)" print-config --config csv.yaml --set data.path=null
check "config bad --set" 1 "--set max_epochs: expected key.path=value" print-config --config csv.yaml --set max_epochs
check "config --set below a scalar" 1 "--set trainer.max_epochs.x: its parent is a number, not a mapping" print-config --config csv.yaml --set trainer.max_epochs.x=1
check "config unknown loss" 1 "unknown loss 'cross_entropyy'; did you mean 'cross_entropy'?" fit --config csv.yaml --headless --set loss.name=cross_entropyy
check "config unknown loss option" 1 "cross_entropy has no option 'smoothing'" fit --config csv.yaml --headless --set loss.smoothing=0.1
check "config bad layer list" 1 "'model.layers' cannot be" print-config --config csv.yaml --set 'model.layers=[{linear: -3}]'

# Checkpoints (safetensors) through eval, resume and init_from.
check "checkpoint missing" 1 "missing.safetensors: cannot read: No such file or directory" eval --config csv.yaml --checkpoint missing.safetensors
check "checkpoint shorter than 8 bytes" 1 "short.safetensors: not a safetensors file: 2 bytes, expected at least 8" eval --config csv.yaml --checkpoint short.safetensors
check "checkpoint truncated" 1 "truncated-checkpoint.safetensors: header length" eval --config csv.yaml --checkpoint truncated-checkpoint.safetensors
check "safetensors header length beyond the file" 1 "claims-too-much.safetensors: header length 1099511627776 bytes exceeds the 2 bytes after the length field" eval --config csv.yaml --checkpoint claims-too-much.safetensors
check "safetensors huge header (100 MB + 1)" 1 "huge-header.safetensors: header length 100000001 bytes exceeds the limit of 100000000 bytes" eval --config csv.yaml --checkpoint huge-header.safetensors
check "safetensors header not JSON" 1 "not-json.safetensors: invalid header: not valid JSON" eval --config csv.yaml --checkpoint not-json.safetensors
check "safetensors offsets out of the buffer" 1 "bad-offsets.safetensors: tensor \"w\": data_offsets [0, 80] out of the 8-byte data buffer" eval --config csv.yaml --checkpoint bad-offsets.safetensors
check "safetensors unknown dtype" 1 "bad-dtype.safetensors: tensor \"w\": unsupported dtype \"C64\"" eval --config csv.yaml --checkpoint bad-dtype.safetensors
check "safetensors element count overflow" 1 "overflow.safetensors: tensor \"w\": shape [4611686018427387904, 8] has too many elements (overflow)" eval --config csv.yaml --checkpoint overflow.safetensors
check "safetensors overlapping tensors" 1 "overlap.safetensors: tensor \"b\": data starts at 4, overlapping tensor \"a\" which ends at 8" eval --config csv.yaml --checkpoint overlap.safetensors
check "safetensors hole in the data" 1 "hole.safetensors: tensor \"a\": data starts at 4, expected 0 (a hole of 4 bytes)" eval --config csv.yaml --checkpoint hole.safetensors
check "checkpoint shapes differ from the model" 1 "does not match the model: shape mismatch 3 (0.weight: expected [8, 2], found [4, 2]" eval --config csv.yaml --checkpoint $ck --set 'model.hidden=[8]'
check "checkpoint names differ from the model" 1 "does not match the model: missing 2 (\"4.weight\", \"4.bias\"); shape mismatch 2" eval --config csv.yaml --checkpoint $ck --set 'model.hidden=[4, 4]'
check "checkpoint with an extra tensor" 1 "extra-name.safetensors: does not match the model: unexpected 1 (\"extra.weight\")" eval --config csv.yaml --checkpoint extra-name.safetensors
check "checkpoint with integer weights (dtype)" 1 "int-weights.safetensors: does not match the model: dtype mismatch 1 (0.weight: expected F32/F64/F16/BF16, found I32)" eval --config csv.yaml --checkpoint int-weights.safetensors
check "safetensors __metadata__ not strings" 1 "bad-metadata.safetensors: invalid __metadata__: step: " eval --config csv.yaml --checkpoint bad-metadata.safetensors
check "safetensors entry without shape" 1 "entry-missing-shape.safetensors: tensor \"w\": missing \"shape\"" eval --config csv.yaml --checkpoint entry-missing-shape.safetensors
check "safetensors shape/offsets size mismatch" 1 "size-mismatch.safetensors: tensor \"w\": shape [3, 4] of F32 needs 48 bytes, data_offsets [0, 40] hold 40" eval --config csv.yaml --checkpoint size-mismatch.safetensors
check "safetensors bytes belonging to no tensor" 1 "trailing-buffer.safetensors: tensors cover 4 bytes of the 12-byte data buffer, 8 trailing bytes belong to no tensor" eval --config csv.yaml --checkpoint trailing-buffer.safetensors
check "checkpoint normalization metadata damaged" 1 "badnorm.safetensors: checkpoint metadata 'trainboard.normalization' is damaged: not valid JSON" eval --config csv.yaml --checkpoint badnorm.safetensors
check "checkpoint trainer state damaged (resume)" 1 "badstate.safetensors: checkpoint metadata 'trainboard.state' is damaged: " fit --config csv.yaml --headless --set trainer.resume=badstate.safetensors
check "checkpoint optimizer state with negative dimensions (resume)" 1 "negative-optimizer-shape.safetensors: optimizer state '$(cat first-optimizer-key)' is damaged" fit --config csv.yaml --headless --set trainer.resume=negative-optimizer-shape.safetensors
check "resume from weights without trainer state" 1 "weights-only.safetensors: not a Trainboard checkpoint (no trainer state in its metadata); use model.init_from for weights only" fit --config csv.yaml --headless --set trainer.resume=weights-only.safetensors
check "resume from a missing checkpoint" 1 "gone.safetensors: cannot read: No such file or directory" fit --config csv.yaml --headless --set trainer.resume=gone.safetensors
check "init_from a checkpoint of another shape" 1 "does not match the model: shape mismatch" fit --config csv.yaml --headless --set model.init_from=$ck --set 'model.hidden=[5]'

# Loss options (checked when the loss is built, or on the first batch).
check "loss option bad enum value" 1 "cross_entropy: bad value 'avg' for option 'reduction'; expected one of none, mean, sum" fit --config csv.yaml --headless --set loss.reduction=avg
check "loss option wrong type" 1 "cross_entropy: bad value 'x' for option 'ignore_index'; expected an integer" fit --config csv.yaml --headless --set loss.ignore_index=x
check "loss option out of range" 1 "cross_entropy: bad value 2 for option 'label_smoothing'; expected a number in [0, 1]" fit --config csv.yaml --headless --set loss.label_smoothing=2
check "loss option out of range (> 0)" 1 "huber: bad value 0 for option 'delta'; expected a number > 0" fit --config csv.yaml --headless --set data.path=bin.csv --set data.task=binary --set loss.name=huber --set loss.delta=0
check "loss legacy size_average (a warning, as PyTorch; trains)" 0 "[warning] cross_entropy: size_average and reduce are deprecated (PyTorch maps size_average=false to reduction='sum'): write reduction: sum instead" fit --config csv.yaml --headless --set loss.size_average=false
check "loss legacy reduce of the wrong type" 1 "cross_entropy: bad value 2 for option 'reduce'; expected true or false" fit --config csv.yaml --headless --set loss.reduce=2
check "loss legacy option on a loss whose module has none (as PyTorch)" 1 "huber has no option 'size_average'" fit --config csv.yaml --headless --set data.path=bin.csv --set data.task=binary --set loss.name=huber --set loss.size_average=false
check "loss class weights of the wrong length" 1 "Error: weight must have one entry per class (3 classes), got shape [2]" fit --config csv.yaml --headless --set 'loss.weight=[1, 2]'
check "loss negative class weight" 1 "Error: weight must be non-negative, found -1.0" fit --config csv.yaml --headless --set 'loss.weight=[-1, 1, 1]'
check "regression loss on class targets" 1 "Error: mse: target shape [8] does not match input shape [8, 3]" fit --config csv.yaml --headless --set loss.name=mse
check "bce on logits (values outside [0, 1])" 1 "Error: bce: all elements of input should be between 0 and 1, found" fit --config csv.yaml --headless --set loss.name=bce --set data.path=bin.csv --set data.task=binary

check "class-index loss on a binary task" 1 "Error: nll: target must hold integer class indices, got float values" fit --config csv.yaml --headless --set loss.name=nll --set data.task=binary --set data.path=bin.csv
check "CSV delimiter of two characters" 1 "Error: csv.yaml: 'data.delimiter' cannot be ';;': expected one character" fit --config csv.yaml --headless --set 'data.delimiter=;;'
check "loss weight that does not broadcast" 1 "Error: pos_weight of shape [3] does not broadcast to input shape [8, 1]" fit --config csv.yaml --headless --set data.path=bin.csv --set data.task=binary --set loss.name=bce_with_logits --set 'loss.pos_weight=[1, 2, 3]'

# Model and trainer settings that do not fit the data.
check "binary task with a 3-output layer list (trapped before)" 1 "csv.yaml: 'model.layers' cannot be a model with 3 outputs: expected 1 output (one logit per sample) for a binary task" fit --config csv.yaml --headless --set data.path=bin.csv --set data.task=binary --set loss.name=mse --set 'model.layers=[{linear: 3}]'
check "layer list narrower than the classes" 1 "csv.yaml: 'model.layers' cannot be a model with 2 outputs: expected at least 3 outputs (one logit per class)" fit --config csv.yaml --headless --set 'model.layers=[{linear: 2}]'
check "early stopping on an unknown metric" 1 "Error: early_stopping.monitor 'val_f1' is not a metric of this run; available: val_loss, val_accuracy" fit --config csv.yaml --headless --set trainer.early_stopping.monitor=val_f1
check "early stopping without a validation split" 1 "Error: early_stopping.monitor 'val_loss' needs a validation split (data.validation_split > 0)" fit --config csv.yaml --headless --set trainer.early_stopping.patience=2 --set data.validation_split=0

# Loss plugins and loss case files.
check "plugin file missing (config)" 1 "cannot load loss plugin $work/libz.so.1: no such file" fit --config plugin.yaml --headless
check "plugin not a library (config)" 1 "cannot load loss plugin $work/not-a-library.so: dlopen failed:" fit --config csv.yaml --headless --set 'loss.plugins=[not-a-library.so]'
check "plugin file missing (--plugin)" 1 "cannot load loss plugin $work/nope.so: no such file" losses list --plugin nope.so
check "loss cases file missing" 1 "cannot read nope.json" losses eval nope.json
check "loss case with an overflowing shape (reported per case, exit 0)" 0 '{"id": "big", "error": "input: shape [4611686018427387904, 4] has too many elements"}' losses eval cases-odd-shapes.json
check "loss cases file malformed" 1 "expected an object with a \"cases\" array" losses eval cases-bad.json

# Usage errors.
check "fit without --config" 2 "Missing expected argument '--config <config>'" fit
check "unknown subcommand" 2 "Unexpected argument 'fitt'" fitt
check "unknown option" 2 "Unknown option '--epochs'" fit --config csv.yaml --epochs 3
check "bad --delimiter" 2 "--delimiter must be one character or 'tab', got ';;'" data inspect good.csv --delimiter ';;'

echo "$pass passed, $fail failed"

if [ "$update_doc" = "--update-doc" ]; then
    table=$(printf '%s\n' "| Bad input | Command | Exit | Message (real output) |" "|---|---|---|---|" "${rows[@]}")
    table=${table//$work\//<dir>/}
    TABLE="$table" python3 - "$repo/docs/robustness.md" <<'PY'
import os, re, sys
path = sys.argv[1]
text = open(path).read()
start, end = "<!-- bad-input table: generated by Tests/cli/bad_input_test.sh --update-doc -->", "<!-- end of bad-input table -->"
new = start + "\n" + os.environ["TABLE"].replace("\\|", "\\|") + "\n" + end
text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda m: new, text, flags=re.S)
open(path, "w").write(text)
PY
    echo "updated docs/robustness.md"
fi
[ $fail -eq 0 ]
