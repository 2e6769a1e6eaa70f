"""Per-tensor float32 gradient errors of PyTorch on random cases of the reference recipe's training step,
for test/parity/gradient-accuracy.test.ts and scripts/measure-gradient-accuracy.ts.

Run from the repository root with Debian's PyTorch 1.13:
  /usr/bin/python3 scripts/make_gradient_accuracy_fixtures.py [cases=24]
It imports ../shared/seed/torch_reference.py (or $SEED_DIR/torch_reference.py).

Case S: FaceMobileNet(512-d, 128 px) in train mode, batch 3, ArcFace(512 -> 7, s 30, m 0.5), labels
[S % 7, (S+3) % 7, (S+5) % 7], focal loss (gamma 2), one backward. Every value is drawn from the
integer-hash formula of make_parity_fixtures.py (uniform in [-1, 1), exact in binary, rounded once to
float32) on streams of its own per case, so arcgrad derives the same float32 numbers bit for bit and
no weight is stored. The ranges are the reference recipe's random cases: every conv and linear weight
U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (PyTorch's default init), BatchNorm weight U(0.5, 1.5), bias
U(-0.2, 0.2), running mean U(-0.2, 0.2), running var U(0.5, 2.0), PReLU weight U(0.05, 0.5), ArcFace
weight Xavier-uniform, input U(-sqrt 3, sqrt 3) (unit variance, like randn).

The float64 answer is the same model cast to float64 on the same float32 numbers. Stored per case, for
the parameters in named_parameters() order (model, then head.weight; names in the metadata):
  c<S>.torch32.max_error   max |g32 - g64| per tensor (float64)
  c<S>.torch32.max_error_aligned   the same with every PReLU taking float64's branch (see below)
  c<S>.torch32.kink_flips  per PReLU layer, the elements whose float32 input has the other sign than float64's
  c<S>.torch64.max_abs     max |g64| per tensor (float64)
  c<S>.torch64.sample      g64 at SAMPLES formula-chosen indices per tensor (float64), so arcgrad's own
                           float64 gradients can be checked as the oracle before they measure its float32 ones
  c<S>.loss                [loss in float64, loss in float32]

Kinks: a PReLU input within float32's rounding of zero (about 1e-7 of its layer's scale) can land on the
other side of zero in float32, and that element's derivative then jumps from 1 to the slope. Such a
crossing is a branch decision, not a summation error, and it hits whichever engine's rounding happens
to cross: in these cases it is all of arcgrad's and PyTorch's float32 outliers. The aligned run flips
each crossed input back (x + (-2x), exact, with the gradient of x unchanged), so the errors it measures
are those of the arithmetic alone.
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
sys.path.insert(0, str(ROOT / "scripts"))
from make_parity_fixtures import hash_uniform, mix32  # noqa: E402
from torch_reference import ArcFace, FaceMobileNet, focal_loss  # noqa: E402

EMBEDDING, INPUT, BATCH, CLASSES = 512, 128, 3, 7
SAMPLES = 16
# Case S uses streams STREAM_BASE + S * STREAM_STRIDE + i: i < 332 for state-dict entry i, then input and head.
STREAM_BASE, STREAM_STRIDE = 20000, 1000
INPUT_OFFSET, HEAD_OFFSET = 500, 501


def case_stream(case, offset):
    return STREAM_BASE + case * STREAM_STRIDE + offset


def recipe_value(key, shape, stream, prelu_keys):
    """The random-case value of a state-dict entry; mirrored by recipeStateDict in the TypeScript side."""
    n = math.prod(shape)
    if key.endswith("num_batches_tracked"):
        return torch.zeros(shape, dtype=torch.long)
    v = hash_uniform(stream, n).reshape(shape)
    if key.endswith("running_mean"):
        t = 0.2 * v
    elif key.endswith("running_var"):
        t = 1.25 + 0.75 * v
    elif len(shape) >= 2:
        t = math.sqrt(1.0 / (n // shape[0])) * v
    elif key in prelu_keys:
        t = 0.275 + 0.225 * v
    elif key.endswith("weight"):
        t = 1.0 + 0.5 * v
    else:
        t = 0.2 * v
    return t.float()


def labels_of(case):
    return [case % CLASSES, (case + 3) % CLASSES, (case + 5) % CLASSES]


def sample_indices(case, tensor_index, n):
    """SAMPLES indices in [0, n) from the hash, per case and tensor (sampleIndex in the TypeScript side)."""
    return [mix32(case * 0x01000193 + tensor_index * 0x9E3779B1 + k * 0x85EBCA77) % n for k in range(SAMPLES)]


class KinkSigns:
    """Records each PReLU input's signs in the float64 run; in a float32 run, counts the inputs on the
    other side of zero and, when `align`, moves them to float64's side (x - 2x = -x, exact)."""

    def __init__(self):
        self.signs, self.flips, self.call, self.align = [], [], 0, False

    def __call__(self, module, x):
        if x.dtype == torch.float64:
            self.signs.append(x.detach() > 0)
            return x
        crossed = (x.detach() > 0) != self.signs[self.call]
        self.call += 1
        self.flips.append(int(crossed.sum()))
        if not self.align:
            return x
        return x + torch.where(crossed, -2 * x.detach(), torch.zeros_like(x))


def gradients(case, dtype, kinks):
    """One training step's loss and gradients in `dtype`, from the case's float32 numbers."""
    net = FaceMobileNet(EMBEDDING, INPUT)
    prelu_keys = {f"{name}.weight" for name, m in net.named_modules() if isinstance(m, torch.nn.PReLU)}
    state = net.state_dict()
    net.load_state_dict(
        {k: recipe_value(k, list(v.shape), case_stream(case, i), prelu_keys) for i, (k, v) in enumerate(state.items())}
    )
    net = net.to(dtype).train()
    kinks.call, kinks.flips = 0, []
    for m in net.modules():
        if isinstance(m, torch.nn.PReLU):
            m.register_forward_pre_hook(lambda module, inputs: (kinks(module, inputs[0]),))
    head = ArcFace(EMBEDDING, CLASSES)
    bound = math.sqrt(6.0 / (EMBEDDING + CLASSES))
    with torch.no_grad():
        weight = (bound * hash_uniform(case_stream(case, HEAD_OFFSET), CLASSES * EMBEDDING)).float()
        head.weight.copy_(weight.reshape(CLASSES, EMBEDDING))
    head = head.to(dtype)
    size = BATCH * INPUT * INPUT
    x = (math.sqrt(3.0) * hash_uniform(case_stream(case, INPUT_OFFSET), size)).float().reshape(BATCH, 1, INPUT, INPUT)
    loss = focal_loss(head(net(x.to(dtype)), torch.tensor(labels_of(case))), torch.tensor(labels_of(case)))
    loss.backward()
    params = [("model." + n, p) for n, p in net.named_parameters()] + [("head.weight", head.weight)]
    return loss.item(), [(n, p.grad.detach().double().reshape(-1)) for n, p in params]


def write_safetensors(path, tensors, metadata):
    header, chunks, offset = {"__metadata__": metadata}, [], 0
    for name, t in tensors.items():
        data = t.contiguous().numpy().tobytes()
        header[name] = {"dtype": "F64", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
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


def max_errors(rounded, exact):
    """max |g32 - g64| per tensor, in float64."""
    return torch.tensor([float((g - e).abs().max()) for (_, g), (_, e) in zip(rounded, exact)], dtype=torch.float64)


def main():
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 24
    torch.set_num_threads(1)
    out, names = {}, None
    for case in range(cases):
        kinks = KinkSigns()
        loss64, exact = gradients(case, torch.float64, kinks)
        loss32, rounded = gradients(case, torch.float32, kinks)
        flips = kinks.flips
        kinks.align = True
        _, aligned = gradients(case, torch.float32, kinks)
        names = [n for n, _ in exact]
        out[f"c{case}.torch32.max_error"] = max_errors(rounded, exact)
        out[f"c{case}.torch32.max_error_aligned"] = max_errors(aligned, exact)
        out[f"c{case}.torch32.kink_flips"] = torch.tensor(flips, dtype=torch.float64)
        out[f"c{case}.torch64.max_abs"] = torch.tensor([float(e.abs().max()) for _, e in exact], dtype=torch.float64)
        samples = [e[sample_indices(case, i, e.numel())] for i, (_, e) in enumerate(exact)]
        out[f"c{case}.torch64.sample"] = torch.cat(samples)
        out[f"c{case}.loss"] = torch.tensor([loss64, loss32], dtype=torch.float64)
        print(f"case {case}: loss f64 {loss64:.9f} f32 {loss32:.9f}, {sum(flips)} PReLU inputs across zero", flush=True)
    path = ROOT / "test" / "fixtures" / "parity" / "gradient-accuracy.safetensors"
    metadata = {
        "source": "scripts/make_gradient_accuracy_fixtures.py with ../shared/seed/torch_reference.py",
        "torch": torch.__version__,
        "threads": "1",
        "config": json.dumps({
            "embedding": EMBEDDING, "input": INPUT, "batch": BATCH, "classes": CLASSES, "cases": cases,
            "samples": SAMPLES, "streamBase": STREAM_BASE, "streamStride": STREAM_STRIDE,
            "inputOffset": INPUT_OFFSET, "headOffset": HEAD_OFFSET,
        }),
        "parameters": json.dumps(names),
    }
    write_safetensors(path, out, metadata)
    print(f"wrote {path} ({path.stat().st_size} bytes, {len(out)} tensors)")


if __name__ == "__main__":
    main()
