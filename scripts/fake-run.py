#!/usr/bin/env python3
"""Write a plausible run's events.jsonl over time, for demos and tests of `trainboard watch`.

Usage: scripts/fake-run.py DIR [--task multiclass|binary] [--epochs 5] [--steps 40]
                                [--delay 0.05] [--seed 7] [--nan-at STEP]

Appends to DIR/events.jsonl (created, truncated first). Each line is flushed in two halves
with a short pause, so readers see partial lines as a real trainer may leave them.
Standard library only. The schema is docs/events.md.
"""
import argparse
import json
import math
import os
import random
import sys
import time
from statistics import NormalDist
from datetime import datetime, timezone

CLASSES = ["cat", "dog", "bird", "frog", "ship"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--task", choices=["multiclass", "binary"], default="multiclass")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--steps", type=int, default=40, help="steps per epoch")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--delay", type=float, default=0.05, help="seconds per batch")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--nan-at", type=int, default=0, help="global step whose loss is NaN (ends the run)")
    return parser.parse_args()


class Writer:
    def __init__(self, path, delay):
        self.file = open(path, "w", encoding="utf-8")
        self.delay = delay

    def emit(self, event):
        line = json.dumps(event, sort_keys=True) + "\n"
        half = len(line) // 2
        self.file.write(line[:half])
        self.file.flush()
        if self.delay > 0:
            time.sleep(self.delay / 4)
        self.file.write(line[half:])
        self.file.flush()


def confusion_matrix(rng, accuracy, n_classes, per_class):
    matrix = []
    for row in range(n_classes):
        correct = int(per_class * min(0.99, max(0.05, accuracy + rng.uniform(-0.08, 0.08))))
        wrong = per_class - correct
        counts = [0] * n_classes
        counts[row] = correct
        for _ in range(wrong):
            other = rng.randrange(n_classes - 1)
            counts[other if other < row else other + 1] += 1
        matrix.append(counts)
    return matrix


def main():
    args = parse_args()
    os.makedirs(args.dir, exist_ok=True)
    rng = random.Random(args.seed)
    out = Writer(os.path.join(args.dir, "events.jsonl"), args.delay)
    multiclass = args.task == "multiclass"
    classes = CLASSES if multiclass else ["negative", "positive"]
    out.emit({
        "type": "run_started", "run": f"fake-{args.task}", "config": f"Config/fake-{args.task}.yaml",
        "task": args.task, "loss": "cross_entropy" if multiclass else "bce_with_logits",
        "loss_options": {"label_smoothing": "0.1"} if multiclass else {"pos_weight": "2.0"},
        "model": {"layers": ["Linear(3072→256)", "ReLU", f"Linear(256→{len(classes) if multiclass else 1})"],
                  "parameters": 3072 * 256 + 256 + 256 * (len(classes) if multiclass else 1) + (len(classes) if multiclass else 1)},
        "seed": args.seed, "class_names": classes, "epochs": args.epochs, "steps_per_epoch": args.steps,
        "batch_size": args.batch_size, "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    })
    if not multiclass:
        out.emit({"type": "message", "level": "warning",
                  "text": "loss lint: bce_with_logits on a 1:4 imbalanced set; pos_weight=2.0 set"})
    start = time.monotonic()

    def elapsed_at(step):
        # Real seconds when running live, a steady 50 ms per step for instant fixtures.
        return time.monotonic() - start if args.delay > 0 else step * 0.05

    step = 0
    best_val = math.inf
    initial = math.log(len(classes)) if multiclass else 0.69
    for epoch in range(1, args.epochs + 1):
        total = 0.0
        for batch in range(1, args.steps + 1):
            step += 1
            progress = step / (args.epochs * args.steps)
            loss = initial * (0.15 + 0.85 * math.exp(-4 * progress)) * (1 + rng.gauss(0, 0.12))
            loss = max(loss, 1e-3)
            if args.nan_at and step == args.nan_at:
                loss = float("nan")
            total += loss
            if args.delay > 0:
                time.sleep(args.delay * 0.75)
            elapsed = elapsed_at(step)
            out.emit({"type": "batch_end", "epoch": epoch, "step": step, "batch": batch,
                      "loss": "nan" if math.isnan(loss) else round(loss, 6),
                      "avg_loss": "nan" if math.isnan(total) else round(total / batch, 6),
                      "lr": 0.001 * (0.5 ** (epoch - 1)), "grad_norm": round(abs(rng.gauss(1.5 - progress, 0.2)), 4),
                      "samples_per_sec": round(args.batch_size / max(elapsed / step, 1e-6), 1),
                      "elapsed": round(elapsed, 3)})
            if math.isnan(loss):
                out.emit({"type": "message", "level": "error", "text": f"NaN loss at step {step}: stopping"})
                out.emit({"type": "run_ended", "reason": "nan", "summary": {"wall_seconds": round(elapsed, 2)}})
                return
        train_loss = total / args.steps
        val_loss = train_loss * (1.05 + rng.uniform(-0.05, 0.1))
        accuracy = min(0.98, 0.45 + 0.5 * (1 - math.exp(-3 * epoch / args.epochs)))
        event = {"type": "epoch_end", "epoch": epoch, "train_loss": round(train_loss, 6),
                 "train_accuracy": round(min(0.99, accuracy + 0.02), 4), "val_loss": round(val_loss, 6),
                 "val_accuracy": round(accuracy, 4), "elapsed": round(elapsed_at(step), 3)}
        if multiclass:
            matrix = confusion_matrix(rng, accuracy, len(classes), 40)
            event["confusion"] = matrix
            event["per_class_recall"] = [round(row[i] / sum(row), 4) for i, row in enumerate(matrix)]
        else:
            precision = min(0.99, accuracy - 0.03)
            recall = min(0.99, accuracy - 0.08)
            event.update({"precision": round(precision, 4), "recall": round(recall, 4),
                          "f1": round(2 * precision * recall / (precision + recall), 4),
                          "auroc": round(min(0.995, accuracy + 0.04), 4), "threshold": 0.5})
            event.update(binary_curves(min(0.995, accuracy + 0.04)))
        out.emit(event)
        out.emit({"type": "checkpoint_saved", "path": os.path.join(args.dir, "last.ckpt"), "kind": "last", "epoch": epoch})
        if val_loss < best_val:
            best_val = val_loss
            out.emit({"type": "checkpoint_saved", "path": os.path.join(args.dir, "best.ckpt"), "kind": "best", "epoch": epoch})
        else:
            out.emit({"type": "message", "level": "info", "text": "early stopping: val loss did not improve (patience 3)"})
    wall = elapsed_at(step)
    out.emit({"type": "run_ended", "reason": "completed",
              "summary": {"test_accuracy": round(accuracy - 0.01, 4), "test_loss": round(best_val * 1.02, 4),
                          "wall_seconds": round(wall, 2)}})


def binary_curves(auroc, positives=0.3, points=33):
    """`roc`, `pr` and `average_precision` of a binormal classifier with this AUROC: negative
    scores N(0, 1), positive scores N(d, 1) with d = √2·Φ⁻¹(AUROC); thresholds from high to low."""
    normal = NormalDist()
    d = math.sqrt(2) * normal.inv_cdf(auroc)
    roc, pr, average = [[0, 0]], [[0, 1]], 0.0
    for k in range(1, points + 1):
        t = d + 4 - k * (d + 8) / points
        fpr, tpr = 1 - normal.cdf(t), 1 - normal.cdf(t - d)
        if k == points: fpr, tpr = 1.0, 1.0
        precision = positives * tpr / (positives * tpr + (1 - positives) * fpr)
        average += (tpr - pr[-1][0]) * precision
        roc.append([float(f"{fpr:.4g}"), float(f"{tpr:.4g}")])
        pr.append([float(f"{tpr:.4g}"), float(f"{precision:.4g}")])
    return {"roc": roc, "pr": pr, "average_precision": round(average, 4)}


if __name__ == "__main__":
    sys.exit(main())
