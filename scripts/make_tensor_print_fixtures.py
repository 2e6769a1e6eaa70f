"""How PyTorch prints tensors, as golden text for arcgrad's `Tensor.toString()`: the values part of
`str(t)` (between `tensor(` and the first suffix such as `, dtype=`) for small, wide, summarised,
integral, tiny, large and non-finite tensors. Written to test/fixtures/core/tensor-print.json and
compared by test/tensor/format.test.ts (so CI needs no PyTorch).

Inputs are make_golden_core.py's formula (sines of the element index, rounded to float32), scaled
or edited per case, and stored beside the text so the test prints exactly those values.

Usage (PyTorch 1.13 is Debian's python3-torch): /usr/bin/python3 scripts/make_tensor_print_fixtures.py
"""
import json
import math
import os
import tempfile

import torch

from make_golden_core import OUT_DIR, formula

SCRIPT = "scripts/make_tensor_print_fixtures.py"


def values_part(t):
    """`str(t)` without `tensor(` and without PyTorch's suffixes (arcgrad writes its own)."""
    text = str(t)
    assert text.startswith("tensor(") and text.endswith(")")
    body = text[len("tensor(") : -1]
    for suffix in (", dtype=torch.float64", ", size=("):
        if suffix in body:
            body = body[: body.index(suffix)]
    return body


def case(name, t):
    # JSON has no NaN or infinities: they are stored as the strings JavaScript's Number() reads.
    names = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}
    data = [v if math.isfinite(v) else names[str(v)] for v in t.reshape(-1).tolist()]
    return {"name": name, "dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "data": data, "text": values_part(t)}


def main():
    integral = torch.tensor([[1.0, -2.0, 30.0], [4.0, 0.0, 600.0]])
    non_finite = formula([5], 0.4)
    non_finite[1] = float("nan")
    non_finite[3] = float("-inf")
    cases = [
        case("scalar", formula([], 0.2)),
        case("matrix", formula([3, 4], 0.3)),
        case("integral values", integral),
        case("integral values over a ratio of 1000", torch.tensor([1.0, 2000.0])),
        case("all zeros", torch.zeros(2, 3, 2)),
        case("tiny values", formula([4], 0.5, 1e-5)),
        case("large values", formula([2, 3], 0.6, 1e9)),
        case("non-finite values", non_finite),
        case("a row wider than a line", formula([30], 0.7)),
        case("float64", formula([2, 2], 0.8).double()),
        case("summarised vector", formula([1001], 0.9)),
        case("summarised 3-D", formula([11, 10, 10], 1.0)),
        case("empty", torch.zeros(0, 3)),
    ]
    document = {"op": "tensor printing", "generator": SCRIPT, "torch": torch.__version__, "cases": cases}
    path = os.path.join(OUT_DIR, "tensor-print.json")
    fd, temp = tempfile.mkstemp(dir=OUT_DIR, prefix="tensor-print.json", suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        f.write(json.dumps(document) + "\n")
    os.chmod(temp, 0o644)
    os.replace(temp, path)
    print(f"wrote {os.path.relpath(path)} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
