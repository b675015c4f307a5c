#!/usr/bin/env python3
"""numpy's single-precision GEMM rate for the shapes `trainboard bench gemm` measures.

Run both in one go (`make bench`) and compare as a ratio: the machines are shared.
Threads: numpy's OpenBLAS uses all cores by default, as trainboard's does.
"""
import time
import numpy as np

SHAPES = [(n, n, n) for n in (128, 256, 512, 768, 1024)] + [(128, 784, 256)]

def measure(m, k, n, seconds=0.5):
    rng = np.random.default_rng(1)
    a = rng.random((m, k), dtype=np.float32)
    b = rng.random((k, n), dtype=np.float32)
    c = np.empty((m, n), dtype=np.float32)
    np.matmul(a, b, out=c)
    best = float("inf")
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        t = time.perf_counter()
        np.matmul(a, b, out=c)
        best = min(best, time.perf_counter() - t)
    return 2 * m * k * n / best / 1e9

print("shape (m x k x n)   GFLOP/s   (numpy %s)" % np.__version__)
for m, k, n in SHAPES:
    print(f"{m}x{k}x{n}".ljust(20) + "%7.2f" % measure(m, k, n))
