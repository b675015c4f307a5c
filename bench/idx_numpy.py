#!/usr/bin/env python3
"""numpy counterpart of `trainboard bench data`.

Times loading the Fashion-MNIST train set (gzip IDX images + labels) with
gzip + np.frombuffer, and one shuffled epoch of [batch, 784] float32 batches
scaled to [0, 1] (fancy indexing, no model). Prints `load SECONDS` and
`epoch SECONDS` (best of --runs), the lines `trainboard bench data` reads.
"""
import argparse
import gzip
import time

import numpy as np

DIR = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    assert data[0] == 0 and data[1] == 0 and data[2] == 0x08, "expected a u8 IDX file"
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def best(runs, fn):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", default=f"{DIR}/train-images-idx3-ubyte.gz")
    parser.add_argument("--labels", default=f"{DIR}/train-labels-idx1-ubyte.gz")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=128)
    args = parser.parse_args()

    loaded = {}

    def load():
        loaded["x"] = read_idx(args.images)
        loaded["y"] = read_idx(args.labels)

    load_time = best(args.runs, load)
    x = loaded["x"].reshape(len(loaded["x"]), -1)
    y = loaded["y"].astype(np.int64)
    assert len(x) == len(y)
    rng = np.random.default_rng(1)

    def epoch():
        order = rng.permutation(len(x))
        total = 0.0
        for start in range(0, len(order), args.batch_size):
            idx = order[start:start + args.batch_size]
            xb = x[idx].astype(np.float32) / 255.0
            yb = y[idx]
            total += xb[-1, -1] + yb[-1]
        return total

    epoch_time = best(args.runs, epoch)
    print(f"load {load_time:.6f}")
    print(f"epoch {epoch_time:.6f}")


if __name__ == "__main__":
    main()
