"""Golden values from PyTorch for arcgrad's core ops: conv2d, matmul and log_softmax, forward and
gradients, in float32. Writes test/fixtures/core/{conv2d,matmul,log-softmax}.json, which
test/golden/core.test.ts compares against (so CI needs no PyTorch).

Inputs come from a fixed formula (sines of the element index), rounded to float32, and are stored
in the fixtures next to the outputs; each backward uses a stored upstream gradient of the same kind.
Numbers are written as the shortest decimal that round-trips to the same float32.

Usage (PyTorch 1.13 is Debian's python3-torch): /usr/bin/python3 scripts/make_golden_core.py
"""
import json
import math
import os
import tempfile

import numpy as np
import torch
import torch.nn.functional as F

SCRIPT = "scripts/make_golden_core.py"
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "core")


def formula(shape, salt, scale=1.0):
    """Deterministic float32 tensor: scale * sin(0.7 i + salt) * cos(0.13 i - salt) over flat index i."""
    count = math.prod(shape)
    values = [scale * math.sin(0.7 * i + salt) * math.cos(0.13 * i - salt) for i in range(count)]
    return torch.tensor(values, dtype=torch.float32).reshape(shape)


class Float32Number(float):
    """A float that json writes as the shortest decimal that round-trips through float32."""

    def __repr__(self):
        return np.format_float_positional(np.float32(self), unique=True, trim="-")


class CompactEncoder(json.JSONEncoder):
    def iterencode(self, o, _one_shot=False):
        # json's C encoder ignores float subclasses' repr, so format floats by hand here.
        return iter([self._encode(o)])

    def _encode(self, o):
        if isinstance(o, dict):
            return "{" + ", ".join(json.dumps(k) + ": " + self._encode(v) for k, v in o.items()) + "}"
        if isinstance(o, (list, tuple)):
            return "[" + ", ".join(self._encode(v) for v in o) + "]"
        if isinstance(o, float):
            return repr(Float32Number(o))
        return json.dumps(o)


def stored(t):
    """A float32 tensor as {shape, data} with data flat row-major."""
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def conv2d_case(name, x_shape, w_shape, stride=1, padding=0, groups=1, bias=True):
    x = formula(x_shape, 0.3).requires_grad_()
    w = formula(w_shape, 1.1, 0.5).requires_grad_()
    b = formula([w_shape[0]], 2.3).requires_grad_() if bias else None
    out = F.conv2d(x, w, b, stride=stride, padding=padding, groups=groups)
    grad_output = formula(list(out.shape), 0.7)
    out.backward(grad_output)
    case = {
        "name": name,
        "stride": list(stride) if isinstance(stride, tuple) else stride,
        "padding": list(padding) if isinstance(padding, tuple) else padding,
        "groups": groups,
        "input": stored(x),
        "weight": stored(w),
        "gradOutput": stored(grad_output),
        "output": stored(out),
        "gradInput": stored(x.grad),
        "gradWeight": stored(w.grad),
    }
    if bias:
        case["bias"] = stored(b)
        case["gradBias"] = stored(b.grad)
    return case


def matmul_case(name, a_shape, b_shape):
    a = formula(a_shape, 0.4).requires_grad_()
    b = formula(b_shape, 1.7).requires_grad_()
    out = torch.matmul(a, b)
    grad_output = formula(list(out.shape), 0.9)
    out.backward(grad_output)
    return {
        "name": name,
        "a": stored(a),
        "b": stored(b),
        "gradOutput": stored(grad_output),
        "output": stored(out),
        "gradA": stored(a.grad),
        "gradB": stored(b.grad),
    }


def log_softmax_case(name, x, dim):
    x = x.detach().clone().requires_grad_()
    out = F.log_softmax(x, dim=dim)
    grad_output = formula(list(out.shape), 0.5)
    out.backward(grad_output)
    return {
        "name": name,
        "dim": dim,
        "input": stored(x),
        "gradOutput": stored(grad_output),
        "output": stored(out),
        "gradInput": stored(x.grad),
    }


def write_fixture(filename, op, cases):
    """Writes through a temporary file and a rename, so a crash never leaves half a fixture."""
    document = {
        "op": op,
        "generator": SCRIPT,
        "torch": torch.__version__,
        "dtype": "float32",
        "cases": cases,
    }
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, filename)
    fd, temp = tempfile.mkstemp(dir=OUT_DIR, prefix=filename, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        f.write(CompactEncoder().encode(document) + "\n")
    os.replace(temp, path)
    print(f"wrote {os.path.relpath(path)} ({os.path.getsize(path)} bytes, {len(cases)} cases)")


def main():
    torch.set_num_threads(1)
    write_fixture(
        "conv2d.json",
        "conv2d",
        [
            conv2d_case("3x3 padded, batch 2", [2, 3, 5, 5], [4, 3, 3, 3], padding=1),
            conv2d_case("3x3 stride 2 padding 1", [1, 2, 7, 7], [3, 2, 3, 3], stride=2, padding=1),
            conv2d_case("3x3 stride 2 no padding, last row unused", [1, 1, 8, 8], [2, 1, 3, 3], stride=2, bias=False),
            conv2d_case("grouped (groups 2)", [1, 4, 5, 5], [6, 2, 3, 3], padding=1, groups=2),
            conv2d_case("depthwise stride 2", [2, 3, 5, 5], [3, 1, 3, 3], stride=2, padding=1, groups=3),
            conv2d_case("depthwise multiplier 2", [1, 2, 4, 4], [4, 1, 3, 3], padding=1, groups=2),
            conv2d_case("1x1 pointwise", [2, 4, 3, 3], [5, 4, 1, 1]),
            conv2d_case("7x7 stride 2 padding 3", [1, 2, 9, 9], [3, 2, 7, 7], stride=2, padding=3),
            conv2d_case(
                "rectangular input, kernel, stride and padding",
                [1, 3, 5, 8],
                [2, 3, 3, 2],
                stride=(2, 1),
                padding=(1, 0),
                bias=False,
            ),
        ],
    )
    write_fixture(
        "matmul.json",
        "matmul",
        [
            matmul_case("2-D", [4, 6], [6, 5]),
            matmul_case("batched with broadcast batch dims", [2, 1, 3, 4], [3, 4, 5]),
            matmul_case("matrix times batched", [3, 4], [2, 4, 2]),
            matmul_case("vector times matrix", [4], [4, 3]),
        ],
    )
    large = torch.tensor(
        [[100.0, -100.0, 0.0, 99.5, 100.0], [-100.0, -99.0, -100.0, -98.5, -100.0], [3.0, -2.0, 0.5, 1.0, -0.25]]
    )
    write_fixture(
        "log-softmax.json",
        "logSoftmax",
        [
            log_softmax_case("2-D along dim 1", formula([3, 5], 0.2, 3.0), 1),
            log_softmax_case("3-D along dim 1", formula([2, 4, 3], 0.6, 2.0), 1),
            log_softmax_case("3-D along dim -1", formula([2, 3, 4], 1.3, 2.0), -1),
            log_softmax_case("logits of magnitude 100", large, 1),
            log_softmax_case("logits of magnitude 100 along dim 0", formula([4, 3], 0.8, 100.0), 0),
        ],
    )


if __name__ == "__main__":
    main()
