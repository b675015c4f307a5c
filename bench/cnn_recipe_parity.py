#!/usr/bin/env python3
"""Does trainboard's CNN recipe train as PyTorch's does, outside the single step? Well-conditioned
checks against PyTorch float64 (SGD, not Adam: Adam's trajectory on this network is chaotic in
float32, see pytorch_parity.py), on standardized pixels, from PyTorch's initial weights:

1. gradient: one batch's gradient (SGD, lr 1, one step: w0 - w1) on `normalize: standard`
   pixels, where zero padding is not the background value, against PyTorch float64.
2. epochs: 3 epochs of SGD on the first 1,000 images with a 10% validation hold-out (the
   same 900 training images in trainboard's split order, from a Python copy of its seeded
   generator), a partial last batch (900 = 7 x 128 + 4) and a validation pass after every
   epoch, against the same in PyTorch float64.
3. init: trainboard's initial weights (`optimizer.lr: 0`) lie in PyTorch's default bounds
   U(+-1/sqrt(fan_in)) and fill them (max |w| within 5% of the bound, std within 10% of
   bound/sqrt(3)).

usage: cnn_recipe_parity.py [TRAINBOARD_BINARY]
"""
import glob, gzip, json, os, subprocess, sys, tempfile
import numpy as np
import torch
from torch import nn
from safetensors import safe_open
from safetensors.torch import load_file, save_file

ROOT = "/usr/share/datasets/fashion-mnist"
BIN = sys.argv[1] if len(sys.argv) > 1 else ".build/release/trainboard"
CONFIG = "Config/fashion-mnist-cnn.yaml"
M64 = (1 << 64) - 1

class SeededGenerator:
    """trainboard's SeededGenerator (xoshiro256** seeded by SplitMix64) and Swift's next(upperBound:)."""
    def __init__(self, seed):
        s, out = seed, []
        for _ in range(4):
            s = (s + 0x9E3779B97F4A7C15) & M64
            z = s
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
            out.append(z ^ (z >> 31))
        self.s = out
    def next(self):
        s = self.s
        r = (s[1] * 5) & M64
        result = (((r << 7) | (r >> 57)) & M64) * 9 & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t
        s[3] = ((s[3] << 45) | (s[3] >> 19)) & M64
        return result
    def below(self, bound):
        m = self.next() * bound
        if m & M64 < bound:
            t = ((1 << 64) - bound) % bound
            while m & M64 < t: m = self.next() * bound
        return m >> 64

def training_order(count, fraction, seed):
    """TensorDataset.splitIndices: a Fisher-Yates permutation; the training part follows the held-out one."""
    rng, order = SeededGenerator(seed), list(range(count))
    for i in range(count - 1, 0, -1):
        j = rng.below(i + 1); order[i], order[j] = order[j], order[i]
    return order[int(round(count * fraction)):]

def idx(path):
    raw = gzip.open(path, "rb").read()
    dims = np.frombuffer(raw, dtype=">i4", count=raw[3], offset=4)
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * raw[3]).reshape(dims)

def cnn():
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))

work = tempfile.mkdtemp()
x_all = torch.from_numpy(idx(f"{ROOT}/train-images-idx3-ubyte.gz").astype(np.float32) / 255).unsqueeze(1)
y_all = torch.from_numpy(idx(f"{ROOT}/train-labels-idx1-ubyte.gz").astype(np.int64))
torch.manual_seed(0)
initial = {k: v.clone().contiguous() for k, v in cnn().state_dict().items()}
save_file(initial, f"{work}/init.safetensors")

def fit(name, *sets):
    subprocess.run([BIN, "fit", "--config", CONFIG, "--headless", "--log-dir", f"{work}/{name}",
                    "--set", f"model.init_from={work}/init.safetensors", "--set", "data.shuffle=false",
                    "--set", "optimizer.name=sgd", *[a for s in sets for a in ("--set", s)]], check=True, stdout=subprocess.DEVNULL)
    checkpoint = glob.glob(f"{work}/{name}/**/checkpoints/last.safetensors", recursive=True)[0]
    with safe_open(checkpoint, "pt") as f: norm = json.loads(f.metadata()["trainboard.normalization"])
    return load_file(checkpoint), norm["shift"][0], norm["scale"][0]

def torch_sgd(x, y, lr, epochs, dtype=torch.float64):
    model = cnn(); model.load_state_dict(initial); model = model.to(dtype)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        for i in range(0, len(x), 128):
            loss = nn.functional.cross_entropy(model(x[i:i + 128].to(dtype)), y[i:i + 128])
            opt.zero_grad(); loss.backward(); opt.step()
    return model.state_dict()

def relative(ours, reference):
    """max over tensors of |ours - reference| / max|initial - reference| (the distance moved)."""
    return max(((ours[k].double() - reference[k]).abs().max() / (initial[k].double() - reference[k]).abs().max()).item()
               for k in initial)

failures = 0
def report(name, gap, bound):
    global failures
    ok = gap <= bound
    failures += not ok
    print(f"{name}: {gap:.2e} (bound {bound:.0e}) -> {'ok' if ok else 'MISMATCH'}")

# 1. One batch's gradient on standardized pixels.
ours, shift, scale = fit("gradient", "data.validation_split=0", "optimizer.lr=1", "trainer.max_steps=1", "trainer.max_epochs=1")
reference = torch_sgd((x_all[:128] - shift) / scale, y_all[:128], 1.0, 1)
report("gradient of one batch, standardized pixels, |g_trainboard - g_torch64| / max|g|", relative(ours, reference), 1e-5)

# 2. Three epochs with validation hold-out, partial last batch and validation passes.
ours, shift, scale = fit("epochs", "data.limit_train=1000", "data.validation_split=0.1", "optimizer.lr=0.01",
                         "trainer.max_epochs=3", "seed=0")
order = torch.tensor(training_order(1000, 0.1, 0))
x, y = (x_all[order] - shift) / scale, y_all[order]
reference = torch_sgd(x, y, 0.01, 3)
torch32 = relative(torch_sgd(x, y, 0.01, 3, torch.float32), reference)
report(f"3 SGD epochs, 900 images in trainboard's split order, validation each epoch, relative to the distance moved "
       f"(PyTorch float32: {torch32:.2e})", relative(ours, reference), 1e-4)

# 3. Trainboard's own initialization.
subprocess.run([BIN, "fit", "--config", CONFIG, "--headless", "--log-dir", f"{work}/init", "--set", "data.limit_train=256",
                "--set", "optimizer.lr=0", "--set", "trainer.max_epochs=1"], check=True, stdout=subprocess.DEVNULL)
weights = load_file(glob.glob(f"{work}/init/**/checkpoints/last.safetensors", recursive=True)[0])
fan_in = {"0": 9, "3": 16 * 9, "7": 1568, "9": 128}
worst = 0.0
for k, w in weights.items():
    bound = fan_in[k.split(".")[0]] ** -0.5
    inside = w.abs().max().item() <= bound
    fills = w.abs().max().item() >= 0.95 * bound if w.numel() >= 100 else True
    spread = abs(w.std().item() / (bound / 3 ** 0.5) - 1) if w.numel() >= 100 else 0.0
    worst = max(worst, spread if inside and fills else float("inf"))
report("initialization: worst |std / (bound/sqrt 3) - 1| over tensors of >= 100 values, all inside U(+-1/sqrt(fan_in))", worst, 0.1)

print(f"{3 - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
