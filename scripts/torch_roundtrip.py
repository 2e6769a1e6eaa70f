"""Weights interop check between arcgrad and the reference recipe's PyTorch code (used by test/io/torch-roundtrip.test.ts).

/usr/bin/python3 scripts/torch_roundtrip.py IN OUT
IN is a safetensors file written by arcgrad: a FaceMobileNet state dict (num_batches_tracked as I64)
plus `input` [N, 1, S, S], with metadata config = {"embedding": E, "input": S}. The script loads the
state dict into the reference recipe's FaceMobileNet with strict=True, embeds `input` in eval mode, runs one
train-mode forward (moving the BatchNorm running statistics), and writes OUT: the resulting state
dict plus `result.eval_embedding` and `result.train_embedding`.
"""
import json
import os
import struct
import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(os.environ.get("SEED_DIR", ROOT.parent / "shared" / "seed"))))
from torch_reference import FaceMobileNet  # noqa: E402

NUMPY = {"F32": np.float32, "F64": np.float64, "I64": np.int64}
NAMES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}


def read(path):
    data = Path(path).read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    body = data[8 + length :]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        array = np.frombuffer(body[begin:end], dtype=NUMPY[entry["dtype"]]).reshape(entry["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors, metadata


def write(path, tensors):
    header, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        raw = t.contiguous().numpy().tobytes()
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header)
    text += " " * ((8 - len(text) % 8) % 8)
    tmp = Path(str(path) + ".tmp")
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text.encode() + b"".join(chunks))
    tmp.replace(path)


def main(source, target):
    torch.set_num_threads(1)
    tensors, metadata = read(source)
    config = json.loads(metadata["config"])
    x = tensors.pop("input")
    net = FaceMobileNet(config["embedding"], config["input"])
    net.load_state_dict(tensors, strict=True)
    with torch.no_grad():
        eval_embedding = net.eval()(x)
        train_embedding = net.train()(x)
    out = {k: v.detach().clone() for k, v in net.state_dict().items()}
    out["result.eval_embedding"] = eval_embedding
    out["result.train_embedding"] = train_embedding
    write(target, out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
