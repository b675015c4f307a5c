#!/usr/bin/env python3
"""Checkpoint interop and training-trajectory parity with PyTorch.

1. load: a Trainboard checkpoint loads strictly into the equivalent nn.Sequential
   (safetensors.torch.load_file + load_state_dict) and gives the same test accuracy.
2. trajectory: weights initialised in PyTorch, loaded through `model.init_from`,
   trained 100 Adam steps on the same unshuffled batches, agree with PyTorch's
   own 100 steps within 1e-4.

usage: pytorch_parity.py TRAINBOARD_BINARY
"""
import gzip, json, subprocess, sys, tempfile, os
import numpy as np
import torch
from torch import nn
from safetensors.torch import load_file, save_file

ROOT = "/usr/share/datasets/fashion-mnist"
BIN = sys.argv[1] if len(sys.argv) > 1 else ".build/release/trainboard"

def idx(path):
    raw = gzip.open(path, "rb").read()
    dims = np.frombuffer(raw, dtype=">i4", count=raw[3], offset=4)
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * raw[3]).reshape(dims)

def data(split):
    x = torch.from_numpy(idx(f"{ROOT}/{split}-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255)
    return x, torch.from_numpy(idx(f"{ROOT}/{split}-labels-idx1-ubyte.gz").astype(np.int64))

def normalization(checkpoint):
    """The (shift, scale) trainboard fitted on the training split, from the checkpoint's metadata."""
    from safetensors import safe_open
    with safe_open(checkpoint, "pt") as f:
        meta = json.loads(f.metadata()["trainboard.normalization"])
    return meta["shift"][0], meta["scale"][0]

def mlp():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))

def run(*args):
    subprocess.run([BIN, "fit", "--config", "Config/fashion-mnist-mlp.yaml", "--headless", *args],
                   check=True, stdout=subprocess.DEVNULL)

failures = 0
work = tempfile.mkdtemp()
xt, yt = data("t10k")

# 1. A Trainboard checkpoint in PyTorch.
run("--log-dir", f"{work}/fit", "--set", "trainer.max_epochs=1")
model = mlp()
model.load_state_dict(load_file(f"{work}/fit/checkpoints/last.safetensors"))   # strict: names and shapes must match
shift, scale = normalization(f"{work}/fit/checkpoints/last.safetensors")
with torch.no_grad():
    torch_acc = (model((xt - shift) / scale).argmax(1) == yt).float().mean().item()
ours = subprocess.run([BIN, "eval", "--config", "Config/fashion-mnist-mlp.yaml", "--checkpoint",
                       f"{work}/fit/checkpoints/last.safetensors"], check=True, capture_output=True, text=True).stdout
our_acc = float(ours.split("accuracy")[1].split()[0])
ok = abs(torch_acc - our_acc) <= 0.001
failures += not ok
print(f"load: PyTorch test accuracy {torch_acc:.4f}, trainboard eval {our_acc:.4f} -> {'ok' if ok else 'MISMATCH'}")

# 2. PyTorch initial weights, 100 Adam steps on the same batches, both sides, on pixels
#    in [0, 1] (`normalize: none`). On standardized pixels this comparison is ill-conditioned:
#    PyTorch float32 and PyTorch float64 themselves end 1.9e-2 apart after 100 steps
#    (Adam's first steps are ±lr whatever the gradient's size, and rounding decides
#    near-zero ones), while on [0, 1] pixels they agree within 1.3e-6.
torch.manual_seed(0)
model = mlp()
save_file({k: v.contiguous() for k, v in model.state_dict().items()}, f"{work}/init.safetensors")
x, y = data("train")
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for step in range(100):
    xb, yb = x[step * 128:(step + 1) * 128], y[step * 128:(step + 1) * 128]
    loss = nn.functional.cross_entropy(model(xb), yb)
    opt.zero_grad(); loss.backward(); opt.step()
run("--log-dir", f"{work}/traj", "--set", f"model.init_from={work}/init.safetensors", "--set", "data.shuffle=false",
    "--set", "data.validation_split=0", "--set", "data.normalize=none", "--set", "trainer.max_steps=100",
    "--set", "trainer.max_epochs=1")
ours = load_file(f"{work}/traj/checkpoints/last.safetensors")
worst = max((ours[k] - v).abs().max().item() for k, v in model.state_dict().items())
ok = worst <= 1e-4
failures += not ok
print(f"trajectory: max |w_trainboard - w_torch| after 100 Adam steps = {worst:.2e} -> {'ok' if ok else 'MISMATCH'}")
print(f"{2 - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
