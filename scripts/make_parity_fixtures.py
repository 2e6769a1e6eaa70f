"""Golden values for test/parity/face-mobilenet.test.ts, from the reference recipe's PyTorch code.

Run from the repository root with Debian's PyTorch 1.13:  /usr/bin/python3 scripts/make_parity_fixtures.py
It imports ../shared/seed/torch_reference.py (or $SEED_DIR/torch_reference.py), builds FaceMobileNet
(embedding 64, input 112, so the linear layer takes 512 features; batch 4, because at batch 2
BatchNorm1d normalises each feature to +-1 and its input gradient vanishes) and fills every parameter and
buffer from an integer-hash formula that the TypeScript test reproduces bit for bit, so no weights
are stored. It writes test/fixtures/parity/face-mobilenet.safetensors with:
  train.embedding, eval.embedding          the batch of 4 embedded in train and in eval mode
  train.grad.<param>                       gradients of loss = sum(embedding * L), L from the formula
  train.buffer.<bn>.running_mean/var       BatchNorm running statistics after that training forward
  step.logits.arcface / step.logits.cosface, step.loss
  step.grad.<param>, step.update.<param>   full step: model + ArcFace(s=30, m=0.5) + focal loss (gamma 2),
                                           gradients, and (weight after one SGD step) - (weight before)
                                           with lr 0.1, momentum 0.9, weight decay 5e-4
Every check runs twice, under the prefixes f64. (float64 model, the exact reference; all checks)
and f32. (the recipe's float32; all but the fixed-loss gradients). Formula values are rounded to
float32 first, so both start from the same numbers.
Tensors above SAMPLE_LIMIT elements are stored as SAMPLE_COUNT values at formula-chosen indices
(see sample_indices) plus `.stats` = [L2 norm, dot with a hash vector] over the whole tensor, in
float64, so the fixture stays small while every element still enters a checked quantity.
"""
import json
import math
import os
import struct
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = Path(os.environ.get("SEED_DIR", ROOT.parent / "shared" / "seed"))
sys.path.insert(0, str(SEED_DIR))
from torch_reference import ArcFace, CosFace, FaceMobileNet, focal_loss  # noqa: E402

EMBEDDING, INPUT, BATCH, CLASSES = 64, 112, 4, 10
LABELS = [3, 7, 1, 3]
SAMPLE_LIMIT, SAMPLE_COUNT = 2048, 512
# Streams of the hash formula beyond the state dict's indices 0..331.
STREAM_INPUT, STREAM_LOSS, STREAM_HEAD, STREAM_DOT = 1000, 1001, 1002, 1003


def mix32(x):
    """The finaliser of the 'lowbias32' integer hash; identical to mix32 in the test."""
    x &= 0xFFFFFFFF
    x ^= x >> 16
    x = (x * 0x7FEB352D) & 0xFFFFFFFF
    x ^= x >> 15
    x = (x * 0x846CA68B) & 0xFFFFFFFF
    x ^= x >> 16
    return x


def hash_uniform(stream, count):
    """count float64 values in [-1, 1), exact in binary, from stream number `stream`."""
    out = []
    for i in range(count):
        u = mix32(i * 0x9E3779B1 + stream * 0x85EBCA77 + 0x12345)
        out.append(u / 4294967296.0 * 2.0 - 1.0)
    return torch.tensor(out, dtype=torch.float64)


def formula_value(key, shape, stream, prelu_keys):
    """The value every state-dict entry gets, by kind; mirrored by formulaValue in the test."""
    n = math.prod(shape)
    v = hash_uniform(stream, n).reshape(shape)
    if key.endswith("num_batches_tracked"):
        return torch.zeros(shape, dtype=torch.long)
    if key.endswith("running_mean"):
        t = 0.1 * v
    elif key.endswith("running_var"):
        t = 1.0 + 0.25 * v
    elif len(shape) >= 2:
        t = math.sqrt(3.0 / (n // shape[0])) * v  # uniform with variance 1 / fan_in
    elif key in prelu_keys:
        t = 0.25 + 0.1 * v
    elif key.endswith("weight"):
        t = 1.0 + 0.2 * v
    else:
        t = 0.1 * v
    return t.float()


def load_formula(net):
    """Fills the state dict entry by entry; entry i uses hash stream i."""
    prelu_keys = {f"{name}.weight" for name, m in net.named_modules() if isinstance(m, torch.nn.PReLU)}
    state = net.state_dict()
    net.load_state_dict({k: formula_value(k, list(v.shape), i, prelu_keys) for i, (k, v) in enumerate(state.items())})


def sample_indices(n):
    """Spread-out indices: one per stride of n / SAMPLE_COUNT, jittered inside the stride."""
    stride = n // SAMPLE_COUNT
    return [(k * n) // SAMPLE_COUNT + (k * 131) % stride for k in range(SAMPLE_COUNT)]


def store(out, name, t):
    """Stores t whole, or sampled with whole-tensor stats when large."""
    flat = t.detach().reshape(-1)
    if flat.numel() <= SAMPLE_LIMIT:
        out[name] = t.detach().clone()
        return
    out[name] = flat[sample_indices(flat.numel())].clone()
    wide = flat.double()
    dot = float((wide * hash_uniform(STREAM_DOT, wide.numel())).sum())
    out[name + ".stats"] = torch.tensor([float(wide.norm()), dot], dtype=torch.float64)


def fresh_model():
    torch.manual_seed(0)
    net = FaceMobileNet(EMBEDDING, INPUT)
    load_formula(net)
    return net


def formula_input():
    return hash_uniform(STREAM_INPUT, BATCH * INPUT * INPUT).reshape(BATCH, 1, INPUT, INPUT).float()


def write_safetensors(path, tensors, metadata):
    dtypes = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}
    header, chunks, offset = {"__metadata__": metadata}, [], 0
    for name, t in tensors.items():
        # float64 results are stored rounded to float32 (relative 6e-8, far below the 1e-4 tolerance),
        # except the whole-tensor stats, whose dot products may cancel.
        if t.dtype == torch.float64 and not name.endswith(".stats"):
            t = t.float()
        data = t.contiguous().numpy().tobytes()
        header[name] = {"dtype": dtypes[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"))
    text += " " * ((8 - len(text) % 8) % 8)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text.encode())
        for chunk in chunks:
            f.write(chunk)
    tmp.replace(path)


def run(out, dtype, prefix, fixed_loss_gradients):
    """One pass of every check in `dtype`, stored under `prefix` (f64. or f32.).
    Formula values are rounded to float32 first, so both dtypes start from the same numbers."""
    x = formula_input().to(dtype)

    net = fresh_model().to(dtype).eval()
    with torch.no_grad():
        out[prefix + "eval.embedding"] = net(x)

    net = fresh_model().to(dtype).train()
    embedding = net(x)
    out[prefix + "train.embedding"] = embedding.detach().clone()
    for name, b in net.named_buffers():
        if name.endswith("running_mean") or name.endswith("running_var"):
            out[f"{prefix}train.buffer.{name}"] = b.detach().clone()
    if fixed_loss_gradients:
        loss_weights = hash_uniform(STREAM_LOSS, BATCH * EMBEDDING).reshape(BATCH, EMBEDDING).float().to(dtype)
        (embedding * loss_weights).sum().backward()
        for name, p in net.named_parameters():
            store(out, f"{prefix}train.grad.{name}", p.grad)

    net = fresh_model().to(dtype).train()
    head = ArcFace(EMBEDDING, CLASSES).to(dtype)
    bound = math.sqrt(6.0 / (EMBEDDING + CLASSES))
    with torch.no_grad():
        head.weight.copy_((bound * hash_uniform(STREAM_HEAD, CLASSES * EMBEDDING)).float().reshape(CLASSES, EMBEDDING))
    cosface = CosFace(EMBEDDING, CLASSES).to(dtype)
    with torch.no_grad():
        cosface.weight.copy_(head.weight)
    labels = torch.tensor(LABELS)
    params = [("model." + n, p) for n, p in net.named_parameters()] + [("head.weight", head.weight)]
    before = {n: p.detach().clone() for n, p in params}
    optimizer = torch.optim.SGD([p for _, p in params], lr=0.1, momentum=0.9, weight_decay=5e-4)
    optimizer.zero_grad()
    embedding = net(x)
    logits = head(embedding, labels)
    out[prefix + "step.logits.cosface"] = cosface(embedding.detach(), labels).detach().clone()
    loss = focal_loss(logits, labels)
    out[prefix + "step.logits.arcface"] = logits.detach().clone()
    out[prefix + "step.loss"] = loss.detach().reshape(1).clone()
    loss.backward()
    for name, p in params:
        store(out, f"{prefix}step.grad.{name}", p.grad)
    optimizer.step()
    for name, p in params:
        store(out, f"{prefix}step.update.{name}", p.detach() - before[name])
    return loss.item()


def main():
    torch.set_num_threads(1)
    out = {}
    loss64 = run(out, torch.float64, "f64.", True)
    loss32 = run(out, torch.float32, "f32.", False)
    path = ROOT / "test" / "fixtures" / "parity" / "face-mobilenet.safetensors"
    metadata = {
        "source": "scripts/make_parity_fixtures.py with ../shared/seed/torch_reference.py",
        "torch": torch.__version__,
        "config": json.dumps({"embedding": EMBEDDING, "input": INPUT, "batch": BATCH, "classes": CLASSES, "labels": LABELS}),
    }
    write_safetensors(path, out, metadata)
    print(f"wrote {path} ({path.stat().st_size} bytes, {len(out)} tensors), loss f64 {loss64:.9f} f32 {loss32:.9f}")


if __name__ == "__main__":
    main()
