#!/usr/bin/env python3
"""Writes the PyTorch interop fixtures that `make test` checks without torch
(Tests/CheckpointTests/PyTorchInteropTests.swift):

  Tests/Fixtures/interop/mlp.safetensors     state_dict of a small MLP, layer kinds and names
                                             of Config/fashion-mnist-mlp.yaml (784-16-8-10, ReLU)
  Tests/Fixtures/interop/cnn.safetensors     state_dict of a small CNN, layer kinds and names
                                             of Config/fashion-mnist-cnn.yaml (4 and 8 channels, 392-16-10)
  Tests/Fixtures/interop/{mlp,cnn}-io.safetensors   "input" (4 samples) and "logits" PyTorch computed

Both are written by `safetensors.torch.save_file(model.state_dict(), ...)`, exactly as a
PyTorch user would; the widths are shrunk from the shipped configs so the fixtures stay
small (about 100 KB in all), the layer kinds, order and state_dict names are the same.
Deterministic: seeded weights and inputs. Needs torch and safetensors.

usage: python3 bench/make_interop_fixtures.py [OUT_DIR]   (default Tests/Fixtures/interop)
"""
import os, sys
import torch
from torch import nn
from safetensors.torch import save_file

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "interop")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(0)

# Config/fashion-mnist-mlp.yaml: model.hidden [256, 128], relu -> here [16, 8].
mlp = nn.Sequential(nn.Linear(784, 16), nn.ReLU(), nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 10))
# Config/fashion-mnist-cnn.yaml: conv 16, conv 32, linear 128 -> here conv 4, conv 8, linear 16.
cnn = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Conv2d(4, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Flatten(), nn.Linear(8 * 7 * 7, 16), nn.ReLU(), nn.Linear(16, 10))

meta = {"generator": "bench/make_interop_fixtures.py", "torch": torch.__version__}
for name, model, shape in [("mlp", mlp, (4, 784)), ("cnn", cnn, (4, 1, 28, 28))]:
    model.eval()
    x = torch.randn(*shape)   # standardized-pixel-like inputs
    with torch.no_grad():
        logits = model(x)
    save_file(model.state_dict(), os.path.join(OUT, f"{name}.safetensors"), metadata={**meta, "model": repr(model)})
    save_file({"input": x.contiguous(), "logits": logits.contiguous()}, os.path.join(OUT, f"{name}-io.safetensors"),
              metadata=meta)
    print(f"{name}: {sum(p.numel() for p in model.parameters())} parameters, "
          f"state_dict {list(model.state_dict())}, logits {tuple(logits.shape)}")
