#!/usr/bin/env python3
"""Checks a run directory's record as readers see it; prints what is wrong and exits 1.

  check_record.py RUN_DIR [--complete] [--epochs N] [--resumed-at STEP]

- events.jsonl: every line is a JSON object with a string "type"; an incomplete last
  line (no newline: a writer killed mid-line) is allowed unless --complete;
- metrics.csv: exactly one header line, the first; every complete row has as many cells;
  validation rows (val_loss set) have distinct epochs 1, 2, ... in order, and with
  --epochs N exactly 1..N; steps never go down;
- --resumed-at STEP: events.jsonl holds exactly one run_resumed, at STEP.
Prints "epochs=E steps=S" (from the last validation row) when all is well.
"""
import json, sys

args = sys.argv[1:]
run = args[0]
complete = "--complete" in args
epochs = int(args[args.index("--epochs") + 1]) if "--epochs" in args else None
resumed_at = int(args[args.index("--resumed-at") + 1]) if "--resumed-at" in args else None
problems = []

raw = open(f"{run}/events.jsonl", "rb").read().decode()
lines = raw.split("\n")
if lines[-1] == "":
    lines.pop()
elif not complete:
    lines.pop()  # still being written when the writer died: readers hold it back
else:
    problems.append("events.jsonl: last line has no newline")
resumes = []
for number, line in enumerate(lines, 1):
    try:
        event = json.loads(line)
        assert isinstance(event, dict) and isinstance(event.get("type"), str)
        if event["type"] == "run_resumed":
            resumes.append(event["step"])
    except Exception:
        problems.append(f"events.jsonl:{number}: not an event: {line[:60]}")
if resumed_at is not None and resumes != [resumed_at]:
    problems.append(f"events.jsonl: run_resumed at {resumes}, expected [{resumed_at}]")

rows = open(f"{run}/metrics.csv").read().split("\n")
header = rows[0].split(",")
if rows[-1] == "":
    rows.pop()
elif not complete:
    rows.pop()
data = [r.split(",") for r in rows[1:]]
if any(r == rows[0] for r in rows[1:]):
    problems.append("metrics.csv: a second header")
bad = [r for r in data if len(r) != len(header)]
if bad:
    problems.append(f"metrics.csv: {len(bad)} rows without {len(header)} cells, e.g. {','.join(bad[0])}")
good = [dict(zip(header, r)) for r in data if len(r) == len(header)]
validation = [int(r["epoch"]) for r in good if r["val_loss"] != ""]
if validation != list(range(1, len(validation) + 1)):
    problems.append(f"metrics.csv: validation epochs {validation}")
if epochs is not None and validation != list(range(1, epochs + 1)):
    problems.append(f"metrics.csv: validation epochs {validation}, expected 1..{epochs}")
steps = [int(r["step"]) for r in good if r["step"] != ""]
if steps != sorted(steps):
    problems.append(f"metrics.csv: steps go down: {steps}")

if problems:
    print("; ".join(problems))
    sys.exit(1)
print(f"epochs={len(validation)} steps={steps[-1] if steps else 0}")
