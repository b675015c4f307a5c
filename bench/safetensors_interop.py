#!/usr/bin/env python3
"""Safetensors interop between Trainboard and PyTorch (manual check, not part of `make test`).

  python3 bench/safetensors_interop.py load FILE
      Loads a file Trainboard wrote with safetensors.torch.load_file, prints each
      name, dtype and shape and the metadata, and loads it into the matching
      nn.Sequential(nn.Linear(4,3), nn.ReLU(), nn.Linear(3,2)) when the names fit.

  python3 bench/safetensors_interop.py save FILE [--dtype float32|float64|float16|bfloat16]
      Writes nn.Sequential(nn.Linear(4,3), nn.ReLU(), nn.Linear(3,2)).state_dict()
      (seed 0) with safetensors.torch.save_file, for Trainboard's reader, and
      prints the values so the Swift side can be compared.

Needs torch and safetensors.
"""
import argparse
import json
import struct
import sys

import torch
from torch import nn
from safetensors import safe_open
from safetensors.torch import load_file, save_file


def model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))


def load(path: str) -> int:
    tensors = load_file(path)
    with safe_open(path, framework="pt") as f:
        metadata = f.metadata()
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = f.read(n)
    print(f"{path}: header {n} bytes (multiple of 8: {n % 8 == 0}), {len(tensors)} tensors")
    for name in sorted(tensors):
        t = tensors[name]
        print(f"  {name}: {str(t.dtype).removeprefix('torch.')} {list(t.shape)} "
              f"first={t.flatten()[:4].tolist()}")
    print(f"  metadata: {json.dumps(metadata, sort_keys=True)}")
    json.loads(header)  # the header is plain JSON
    reference = model()
    if set(tensors) == set(reference.state_dict()):
        reference.load_state_dict(tensors)
        out = reference(torch.ones(1, 4))
        print(f"  loaded into nn.Sequential(Linear(4,3), ReLU, Linear(3,2)); model(ones(1,4)) = {out.tolist()}")
    return 0


def save(path: str, dtype: str) -> int:
    state = {k: v.to(getattr(torch, dtype)).contiguous() for k, v in model().state_dict().items()}
    save_file(state, path, metadata={"written_by": "safetensors.torch", "dtype": dtype})
    print(f"{path}: wrote {len(state)} tensors as {dtype}")
    for name, t in sorted(state.items()):
        print(f"  {name}: {list(t.shape)} {t.float().flatten().tolist()}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_load = sub.add_parser("load", help="load a file Trainboard wrote")
    p_load.add_argument("path")
    p_save = sub.add_parser("save", help="write a PyTorch state_dict for Trainboard to read")
    p_save.add_argument("path")
    p_save.add_argument("--dtype", default="float32", choices=["float32", "float64", "float16", "bfloat16"])
    args = parser.parse_args()
    return load(args.path) if args.command == "load" else save(args.path, args.dtype)


if __name__ == "__main__":
    sys.exit(main())
