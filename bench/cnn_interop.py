#!/usr/bin/env python3
"""A trainboard CNN checkpoint in PyTorch: `Config/fashion-mnist-cnn.yaml` trained by
trainboard loads strictly into the equivalent nn.Sequential, and PyTorch's test
accuracy on the same normalized images equals `trainboard eval`'s (±0.001).

usage: cnn_interop.py TRAINBOARD_BINARY CHECKPOINT
"""
import gzip, json, subprocess, sys
import numpy as np
import torch
from torch import nn
from safetensors import safe_open
from safetensors.torch import load_file

ROOT = "/usr/share/datasets/fashion-mnist"
BIN, CKPT = sys.argv[1], sys.argv[2]

def idx(path):
    raw = gzip.open(path, "rb").read()
    dims = np.frombuffer(raw, dtype=">i4", count=raw[3], offset=4)
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * raw[3]).reshape(dims)

model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))
model.load_state_dict(load_file(CKPT))   # strict: names and shapes must match
with safe_open(CKPT, "pt") as f:
    norm = json.loads(f.metadata()["trainboard.normalization"])
x = torch.from_numpy(idx(f"{ROOT}/t10k-images-idx3-ubyte.gz").astype(np.float32) / 255).unsqueeze(1)
x = (x - norm["shift"][0]) / norm["scale"][0]
y = torch.from_numpy(idx(f"{ROOT}/t10k-labels-idx1-ubyte.gz").astype(np.int64))
with torch.no_grad():
    torch_acc = (model(x).argmax(1) == y).float().mean().item()
out = subprocess.run([BIN, "eval", "--config", "Config/fashion-mnist-cnn.yaml", "--checkpoint", CKPT],
                     check=True, capture_output=True, text=True).stdout
ours = float(out.split("accuracy")[1].split()[0])
ok = abs(torch_acc - ours) <= 0.001
print(f"cnn load: PyTorch test accuracy {torch_acc:.4f}, trainboard eval {ours:.4f} -> {'ok' if ok else 'MISMATCH'}")
print(f"{int(ok)} passed, {int(not ok)} failed")
sys.exit(0 if ok else 1)
