#!/usr/bin/env python3
"""Trainboard -> numpy, without torch: the forward pass of a checkpoint that trainboard
wrote, computed in numpy from the file alone, matches `trainboard eval --predictions`.

usage: numpy_forward.py CHECKPOINT PREDICTIONS.json

The checkpoint is read with the `safetensors` package (safetensors.numpy.load_file), as
any other tool reads it. The model is the preset MLP (`model.hidden`, `model.activation`
of the resolved config in the checkpoint's metadata): each `N.weight`/`N.bias` pair is a
Linear layer, `x @ W.T + b`, and the activation sits at every index between two of them,
as in the equivalent nn.Sequential. Every output must match within 1e-5 (absolute, plus
1e-5 relative) and every predicted class exactly. Prints "N passed, N failed".
"""
import json, re, sys
import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file

ACTIVATIONS = {
    "relu": lambda x: np.maximum(x, 0),
    "tanh": np.tanh,
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.01 * x),
}

checkpoint, predictions = sys.argv[1], sys.argv[2]
weights = load_file(checkpoint)
with safe_open(checkpoint, "np") as f:
    config = f.metadata()["trainboard.config"]
activation = re.search(r"^\s*activation:\s*(\w+)", config, re.M).group(1)
if activation not in ACTIVATIONS:
    sys.exit(f"numpy_forward.py: activation {activation} is not implemented here")
indices = sorted({int(name.split(".")[0]) for name in weights})
assert all(f"{i}.weight" in weights and f"{i}.bias" in weights for i in indices), sorted(weights)
assert len(weights) == 2 * len(indices), f"unexpected tensors: {sorted(weights)}"

data = json.load(open(predictions))
x = np.asarray(data["inputs"], dtype=np.float64)
for position, i in enumerate(indices):
    x = x @ weights[f"{i}.weight"].astype(np.float64).T + weights[f"{i}.bias"].astype(np.float64)
    if position < len(indices) - 1:
        x = ACTIVATIONS[activation](x)
ours = np.asarray(data["outputs"], dtype=np.float64)
failures = []
if ours.shape != x.shape:
    failures.append(f"outputs shaped {ours.shape}, numpy computes {x.shape}")
else:
    worst = np.max(np.abs(ours - x) - 1e-5 * np.abs(x))
    if worst > 1e-5:
        failures.append(f"outputs differ from numpy's by up to {worst:.3g}")
    numpy_classes = (x[:, 0] > 0).astype(int) if x.shape[1] == 1 else x.argmax(axis=1)
    differing = int((numpy_classes != np.asarray(data["predictions"])).sum())
    if differing:
        failures.append(f"{differing} predicted classes differ from numpy's")
for failure in failures:
    print(f"FAIL  {checkpoint}: {failure}")
if not failures:
    print(f"ok    {len(ours)} samples: {len(indices)} Linear layers + {activation} in numpy from {checkpoint} "
          f"give eval's outputs (max |diff| {np.max(np.abs(ours - x)):.2g}) and predicted classes")
print(f"{0 if failures else 1} passed, {1 if failures else 0} failed")
sys.exit(1 if failures else 0)
