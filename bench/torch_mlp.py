#!/usr/bin/env python3
"""The reference MLP (or CNN) in PyTorch, for side-by-side comparison with `trainboard`.

MLP: 784-256-128-10 ReLU. CNN (--model cnn, Config/fashion-mnist-cnn.yaml): conv 3x3 16
(padding 1) -> ReLU -> max-pool 2 -> conv 3x3 32 (padding 1) -> ReLU -> max-pool 2 ->
1568-128-10. Both: cross_entropy, Adam 1e-3, Fashion-MNIST scaled to [0, 1] and
standardized with the training split's pixel mean and std (torchvision's Normalize,
as trainboard's `normalize: standard`), tensor-indexed shuffled batches,
torch.set_num_threads(2).

usage: torch_mlp.py [--config FILE] [--model mlp|cnn] [--batch 128] [--epochs 5] [--validation 0.1] [--limit N] [--seed 0]
                    [--threads 2] [--lr 1e-3] [--scheduler none|cosine] [--no-normalize] [--json]
--limit N trains on the first N training images (trainboard's data.limit_train), before the validation split.
--config FILE takes the recipe from a trainboard config (batch, epochs, validation split, normalization,
limit, learning rate, cosine schedule); flags given on the command line override it.
--scheduler cosine: CosineAnnealingLR(T_max = epochs), stepped after each epoch (trainboard's `scheduler: {name: cosine}`).
Prints test accuracy, samples/s (training steps only) and ms/step.
"""
import argparse, gzip, json, sys, time
import numpy as np
import torch
from torch import nn

ROOT = "/usr/share/datasets/fashion-mnist"

def idx(path):
    raw = gzip.open(path, "rb").read()
    ndim = raw[3]
    dims = np.frombuffer(raw, dtype=">i4", count=ndim, offset=4)
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)

def load(split):
    x = idx(f"{ROOT}/{split}-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255
    y = idx(f"{ROOT}/{split}-labels-idx1-ubyte.gz").astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)

def recipe(path):
    """The argument defaults a trainboard config implies (only what this script can run)."""
    import yaml
    c = yaml.safe_load(open(path))
    data, trainer, optimizer = c.get("data", {}), c.get("trainer", {}), c.get("optimizer", {})
    scheduler = (c.get("scheduler") or {}).get("name", "none")
    if optimizer.get("name", "adam") != "adam" or scheduler not in ("none", "cosine") or set(c.get("scheduler") or {}) - {"name"}:
        sys.exit(f"{path}: this script runs Adam with no schedule or a default cosine schedule only")
    if data.get("source") != "idx" or data.get("task", "multiclass") != "multiclass" or "fashion" not in data.get("train_images", "fashion"):
        sys.exit(f"{path}: this script trains on the 10 Fashion-MNIST classes only")
    if not data.get("shuffle", True) or "early_stopping" in trainer or c.get("loss", {}).get("name", "cross_entropy") != "cross_entropy":
        sys.exit(f"{path}: this script runs cross_entropy on shuffled batches for max_epochs only")
    return {"batch": data.get("batch_size", 32), "epochs": trainer.get("max_epochs", 5),
            "validation": data.get("validation_split", 0.1), "normalize": data.get("normalize", "none") == "standard",
            "limit": data.get("limit_train"), "lr": optimizer.get("lr", 1e-3), "scheduler": scheduler,
            "model": "cnn" if "conv2d" in json.dumps(c.get("model", {})) else "mlp"}

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", help="take the recipe's defaults from this trainboard config")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--validation", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (the comparison uses 2)")
    p.add_argument("--no-normalize", dest="normalize", action="store_false", help="keep pixels in [0, 1]")
    p.add_argument("--json", action="store_true")
    p.add_argument("--model", choices=["mlp", "cnn"], default="mlp")
    p.add_argument("--limit", type=int, default=None, help="train on the first N training images")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--scheduler", choices=["none", "cosine"], default="none")
    known, _ = p.parse_known_args()
    if known.config: p.set_defaults(**recipe(known.config))
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x, y = load("train")
    xt, yt = load("t10k")
    if a.limit: x, y = x[:a.limit], y[:a.limit]
    keep = torch.randperm(len(x))[int(round(len(x) * a.validation)):]
    x, y = x[keep], y[keep]
    if a.normalize:
        mean, std = x.double().mean().item(), x.double().std(unbiased=False).item()
        x, xt = (x - mean) / std, (xt - mean) / std
    if a.model == "cnn":
        x, xt = x.reshape(-1, 1, 28, 28), xt.reshape(-1, 1, 28, 28)
        model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Flatten(), nn.Linear(1568, 128), nn.ReLU(), nn.Linear(128, 10))
    else:
        model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=a.epochs) if a.scheduler == "cosine" else None
    loss_fn = nn.CrossEntropyLoss()
    steps, train_time = 0, 0.0
    for epoch in range(a.epochs):
        order = torch.randperm(len(x))
        for i in range(0, len(x), a.batch):
            t = time.perf_counter()
            idx_ = order[i:i + a.batch]
            loss = loss_fn(model(x[idx_]), y[idx_])
            opt.zero_grad()
            loss.backward()
            opt.step()
            train_time += time.perf_counter() - t
            steps += 1
        if schedule: schedule.step()
    with torch.no_grad():
        accuracy = (model(xt).argmax(1) == yt).float().mean().item()
    result = {"test_accuracy": accuracy, "samples_per_second": len(x) * a.epochs / train_time,
              "ms_per_step": 1000 * train_time / steps, "batch": a.batch, "epochs": a.epochs, "threads": a.threads, "model": a.model}
    print(json.dumps(result) if a.json else
          f"torch: test accuracy {accuracy:.4f}  {result['samples_per_second']:.0f} samples/s  {result['ms_per_step']:.3f} ms/step")

if __name__ == "__main__":
    main()
