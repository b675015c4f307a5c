#!/usr/bin/env python3
"""PyTorch counterpart of `trainboard bench losses`: ms per forward+backward of
cross_entropy on (4096, 1000) and bce_with_logits on 4M elements, best of N, 2 threads."""
import sys, time
import torch
import torch.nn.functional as F

torch.set_num_threads(2)
iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 20
g = torch.Generator().manual_seed(7)
logits = torch.rand(4096, 1000, generator=g) * 8 - 4
labels = (torch.arange(4096) * 7919) % 1000
x = torch.rand(4_194_304, generator=g) * 12 - 6
y = (torch.rand(4_194_304, generator=g) > 0.5).float()

def measure(body):
    body()
    best = float("inf")
    for _ in range(iterations):
        start = time.perf_counter()
        body()
        best = min(best, (time.perf_counter() - start) * 1e3)
    return best

def ce():
    v = logits.detach().requires_grad_(True)  # fresh leaf, no copy (as the Swift bench)
    F.cross_entropy(v, labels).backward()

def bce():
    v = x.detach().requires_grad_(True)
    F.binary_cross_entropy_with_logits(v, y).backward()

print(f"cross_entropy (4096, 1000) fwd+bwd: {measure(ce):.2f} ms")
print(f"bce_with_logits (4194304) fwd+bwd: {measure(bce):.2f} ms")
