#!/usr/bin/env python3
"""Writes the fuzz seed corpora: small valid (and a few nearly valid) inputs.

Usage: make_seeds.py OUT_DIR   (creates OUT_DIR/{idx,csv,config,safetensors}
and OUT_DIR/*.dict). Generated, never committed: the Makefile calls it.
"""
import gzip, json, os, struct, sys

out = sys.argv[1]
repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def write(kind, name, data):
    d = os.path.join(out, kind)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

# IDX: every element type, ranks 0-3, plain and gzip (one with two members).
codes = {"u8": (0x08, "B"), "i8": (0x09, "b"), "i16": (0x0B, "h"), "i32": (0x0C, "i"),
         "f32": (0x0D, "f"), "f64": (0x0E, "d")}
for tname, (code, fmt) in codes.items():
    for shape in ([], [3], [2, 2], [2, 2, 3]):
        n = 1
        for d in shape: n *= d
        values = [(i * 7) % 5 for i in range(n)]
        body = bytes([0, 0, code, len(shape)]) + b"".join(struct.pack(">I", d) for d in shape)
        body += b"".join(struct.pack(">" + fmt, v) for v in values)
        write("idx", f"{tname}-r{len(shape)}.idx", body)
        if len(shape) in (1, 3):
            write("idx", f"{tname}-r{len(shape)}.idx.gz", gzip.compress(body, mtime=0))
labels = bytes([0, 0, 8, 1]) + struct.pack(">I", 4) + bytes([0, 1, 2, 1])
write("idx", "labels-two-members.gz", gzip.compress(labels[:6], mtime=0) + gzip.compress(labels[6:], mtime=0))
write("idx", "zero-samples.idx", bytes([0, 0, 8, 3]) + struct.pack(">III", 0, 28, 28))

# CSV: the first byte selects options in the harness (delimiter, label, task, missing).
csvs = {
    "iris": open(os.path.join(repo, "Config/data/iris.csv")).read().splitlines()[:8],
    "quoted": ['a,"b, with comma",label', '1,"2",x', '"3","4","y ""quoted"""', ''],
    "missing": ["x,y,label", "1,NA,0", ",2,1", "3,4,0"],
    "binary": ["f1,f2,target", "0.5,1e3,0", "-1,2.5,1", "3,4,1"],
    "crlf": ["h1,h2\r", "1,2\r", "3,4\r"],
    "multiline": ['a,b', '"line\nbreak",1', '2,3'],
}
for i, (name, lines) in enumerate(csvs.items()):
    for selector in (0, 4 | 8, 16 | 32):
        write("csv", f"{name}-{selector}.csv", bytes([selector]) + "\n".join(lines).encode())
write("csv", "semicolon.csv", bytes([1]) + b"a;b;c\n1;2;3\n4;5;6\n")
write("csv", "tab.csv", bytes([2]) + b"a\tb\tc\n1\t2\t3\n")

# Configs: the shipped ones and one per scheduler/optimizer/layer form.
cfg_dir = os.path.join(repo, "Config")
for f in sorted(os.listdir(cfg_dir)):
    if f.endswith(".yaml"):
        write("config", f, open(os.path.join(cfg_dir, f)).read())
schedulers = ["step: {}", "multistep\n  milestones: [1, 2]", "exponential", "cosine\n  t_max: 3",
              "one_cycle\n  max_lr: 0.1", "linear_warmup", "plateau\n  mode: max"]
for i, s in enumerate(schedulers):
    name = s.split("\n")[0].split(":")[0]
    write("config", f"sched-{i}.yaml",
          f"data:\n  source: csv\n  path: x.csv\nscheduler:\n  name: {name}\n" +
          ("  " + s.split("\n", 1)[1].strip() + "\n" if "\n" in s else ""))
write("config", "layers.yaml",
      "model:\n  layers: [{linear: 8}, relu, {dropout: 0.1}, flatten, {linear: 2}]\n"
      "optimizer:\n  name: sgd\n  momentum: 0.9\n  nesterov: true\n"
      "trainer:\n  early_stopping:\n    monitor: val_loss\n    patience: 2\n"
      "data:\n  task: binary\n  positive_classes: [5, 7]\n")
write("config", "adam.yaml", "optimizer:\n  name: adamw\n  betas: [0.9, 0.99]\n  eps: 1.0e-6\nloss:\n  name: bce\n  reduction: mean\n  plugins: [a.so]\n")
write("config", "anchors.yaml", "base: &b {lr: 0.1}\noptimizer: *b\n")

# safetensors: the layout Trainboard writes, every dtype, metadata.
def st(entries, metadata=None):
    header, data = {}, b""
    for name, dtype, shape, raw in entries:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    if metadata: header["__metadata__"] = metadata
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    return struct.pack("<Q", len(h)) + h + data
f32 = lambda n: struct.pack(f"<{n}f", *[i * 0.5 for i in range(n)])
write("safetensors", "model.safetensors",
      st([("0.bias", "F32", [3], f32(3)), ("0.weight", "F32", [3, 4], f32(12))], {"step": "12", "trainboard.task": "multiclass"}))
sizes = {"F64": 8, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}
for dt, w in sizes.items():
    write("safetensors", f"{dt}.safetensors", st([("t", dt, [2, 2], bytes(range(1, 4 * w + 1)))]))
write("safetensors", "empty.safetensors", st([]))
write("safetensors", "scalar.safetensors", st([("s", "F32", [], f32(1)), ("z", "F32", [0, 5], b"")]))

# Dictionaries (libFuzzer -dict): tokens the mutator would rarely invent.
keys = ["name", "seed", "data", "source", "task", "path", "label", "features", "delimiter", "positive_classes",
        "validation_split", "test_split", "batch_size", "shuffle", "limit_train", "normalize", "missing", "model",
        "preset", "hidden", "activation", "output_activation", "dropout", "layers", "init_from", "loss",
        "plugins", "optimizer", "lr", "weight_decay", "clip_grad_norm", "momentum", "betas", "scheduler",
        "trainer", "max_epochs", "max_steps", "early_stopping", "monitor", "mode", "patience", "resume",
        "checkpoint_dir", "log_dir", "idx", "csv", "binary", "multiclass", "linear", "relu", "sgd", "adam",
        "one_cycle", "plateau", "true", "null", "1e9", "-1", "{", "}", "[", "]", ": ", "\\n  ", "&a", "*a", "!!int", "---"]
with open(os.path.join(out, "config.dict"), "w") as f:
    for k in keys: f.write(json.dumps(k) + "\n")
tokens = ["dtype", "shape", "data_offsets", "__metadata__", "F32", "F64", "F16", "BF16", "I64", "U8", "BOOL",
          "9223372036854775807", "-1", "1e3", "[", "]", "{", "}", "\\u0000"]
with open(os.path.join(out, "safetensors.dict"), "w") as f:
    for k in tokens: f.write(json.dumps(k) + "\n")
