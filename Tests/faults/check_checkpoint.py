#!/usr/bin/env python3
"""Exit 0 when every path given is a complete safetensors file (header length,
JSON header, offsets tiling the buffer exactly), else print why and exit 1.
Uses the `safetensors` package too when it is installed."""
import json, struct, sys

bad = 0
for path in sys.argv[1:]:
    try:
        raw = open(path, "rb").read()
        n = struct.unpack("<Q", raw[:8])[0]
        assert 8 + n <= len(raw), f"header length {n} exceeds file size {len(raw)}"
        header = json.loads(raw[8:8 + n])
        buf = len(raw) - 8 - n
        spans = sorted(tuple(v["data_offsets"]) for k, v in header.items() if k != "__metadata__")
        end = 0
        for b, e in spans:
            assert b == end, f"gap or overlap at {b}"
            end = e
        assert end == buf, f"tensors cover {end} of {buf} bytes"
        try:
            from safetensors import safe_open  # optional
            with safe_open(path, "np") as f:
                for k in f.keys(): f.get_tensor(k)
        except ImportError:
            pass
    except Exception as error:
        print(f"{path}: {error}")
        bad += 1
sys.exit(1 if bad else 0)
