#!/usr/bin/env python3
"""Writes the hostile and malformed files bad_input_test.sh feeds the CLI, into DIR."""
import gzip, json, os, struct, sys

d = sys.argv[1]
def w(name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
def idx(code, shape, payload):
    return bytes([0, 0, code, len(shape)]) + b"".join(struct.pack(">I", s) for s in shape) + payload

# IDX
w("images.idx", idx(8, [4, 2, 2], bytes(range(16))))
w("labels.idx", idx(8, [4], bytes([0, 1, 2, 1])))
w("labels3.idx", idx(8, [3], bytes([0, 1, 2])))
w("truncated.idx", idx(8, [2, 2, 2], bytes(5)))
w("trailing.idx", idx(8, [2], bytes(3)))
w("short-header.idx", bytes([0, 0, 8, 3, 0, 0]))
w("bad-magic.idx", bytes([1, 2, 8, 1, 0, 0, 0, 1, 7]))
w("bad-type.idx", bytes([0, 0, 7, 1, 0, 0, 0, 1, 7]))
w("overflow.idx", idx(8, [0, 65536, 65536, 65536, 65536], b""))
w("float-labels.idx", idx(0x0D, [4], bytes(16)))
w("huge-label.idx", idx(0x0C, [4], struct.pack(">4i", 0, 1, 2147483647, 1)))
w("negative-label.idx", idx(0x09, [4], struct.pack(">4b", 0, 1, -3, 1)))
good = gzip.compress(idx(8, [4], bytes([0, 1, 2, 1])), mtime=0)
w("truncated.idx.gz", good[:len(good) // 2])
corrupt = bytearray(good); corrupt[12] ^= 0xFF; corrupt[13] ^= 0xFF
w("corrupt.idx.gz", bytes(corrupt))
w("trailing-garbage.idx.gz", good + b"garbage!")
# CSV
w("ragged.csv", "a,b,label\n1,2,x\n3,y\n")
w("nonnumeric.csv", "a,b,label\n1,2,x\n3,abc,y\n")
w("missing.csv", "a,b,label\n1,2,x\n3,NA,y\n")
w("quote.csv", 'a,b,label\n1,"2,x\n3,4,y\n')
w("empty.csv", "\n\n")
w("binary3.csv", "a,b,label\n1,2,0\n3,4,1\n5,6,2\n")
w("biglabel.csv", "a,b,label\n1,2,0\n3,4,99999999\n")
w("good.csv", "a,b,label\n" + "".join(f"{i},{i % 3},{'xyz'[i % 3]}\n" for i in range(30)))
w("bin.csv", "a,b,label\n" + "".join(f"{i},{i % 3},{i % 2}\n" for i in range(30)))
# safetensors
def st(header, buf=b"", claimed=None):
    h = json.dumps(header).encode() if not isinstance(header, bytes) else header
    return struct.pack("<Q", len(h) if claimed is None else claimed) + h + buf
w("short.safetensors", b"\x01\x02")
w("claims-too-much.safetensors", st({}, claimed=1 << 40))
w("not-json.safetensors", st(b"{not json"))
w("bad-offsets.safetensors", st({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 80]}}, bytes(8)))
w("bad-dtype.safetensors", st({"w": {"dtype": "C64", "shape": [1], "data_offsets": [0, 8]}}, bytes(8)))
w("overflow.safetensors", st({"w": {"dtype": "F32", "shape": [1 << 62, 8], "data_offsets": [0, 8]}}, bytes(8)))
w("overlap.safetensors", st({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                            "b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}, bytes(8)))
w("hole.safetensors", st({"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}, bytes(8)))
# A sparse file just above the 100 MB header limit.
with open(os.path.join(d, "huge-header.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", 100_000_001)); f.truncate(8 + 100_000_008)
# Losses
w("cases-bad.json", '{"cases": 3}')
w("not-a-library.so", "just text")
w("bad-metadata.safetensors", st({"__metadata__": {"step": 3}}))
w("entry-missing-shape.safetensors", st({"w": {"dtype": "F32", "data_offsets": [0, 4]}}, bytes(4)))
w("size-mismatch.safetensors", st({"w": {"dtype": "F32", "shape": [3, 4], "data_offsets": [0, 40]}}, bytes(40)))
w("trailing-buffer.safetensors", st({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}, bytes(12)))
w("cases-odd-shapes.json", '{"cases": [{"id": "big", "loss": "mse", "input": {"shape": [4611686018427387904, 4], "data": []}, '
  '"target": {"shape": [1], "data": [1]}}]}')
# Files that parse but hold nothing to learn from (issue 19)
w("header-only.csv", "a,b,label\n")
w("label-only.csv", "label\n" + "".join(f"{'xyz'[i % 3]}\n" for i in range(30)))
w("one-class.csv", "a,b,label\n" + "".join(f"{i},{i % 3},x\n" for i in range(30)))
w("bin-all-ones.csv", "a,b,label\n" + "".join(f"{i},{i % 3},1\n" for i in range(30)))
w("tiny.csv", "a,b,label\n1,2,x\n3,4,y\n")
w("constant.csv", "a,b,c,label\n" + "".join(f"{i},{i % 3},5,{'xyz'[i % 3]}\n" for i in range(30)))
w("same-labels.idx", idx(8, [4], bytes([1, 1, 1, 1])))
w("no-images.idx", idx(8, [0, 2, 2], b""))
w("no-labels.idx", idx(8, [0], b""))
w("empty-images.idx", idx(8, [4, 0, 2], b""))
w("three-rows.csv", "a,b,label\n1,2,x\n3,4,y\n5,6,x\n")
