"""Golden values from PyTorch for the ops a learner reaches for first: smooth activations and
trigonometry, regression and binary losses, pooling, layer norm, AdamW and the learning-rate
schedules. Forward values and gradients are float32; optimizer trajectories are float64.
Writes test/fixtures/core/learner-ops.json, which test/golden/learner-ops.test.ts compares
against (so CI needs no PyTorch).

Every number comes from torch 1.13 run on inputs from make_golden_core.py's formula (sines of
the element index, rounded to float32), stored in the fixture next to the outputs; each backward
uses a stored upstream gradient.

Usage (PyTorch 1.13 is Debian's python3-torch): /usr/bin/python3 scripts/make_golden_learner_ops.py
"""
import os
import tempfile

import torch
import torch.nn.functional as F

from make_golden_core import OUT_DIR, CompactEncoder, formula, stored

SCRIPT = "scripts/make_golden_learner_ops.py"


def unary_case(op, fn, x, **options):
    """Forward and input gradient of one elementwise op; options are stored for the test to pass on."""
    x = x.detach().clone().requires_grad_()
    out = fn(x)
    grad_output = formula(list(out.shape), 0.5)
    out.backward(grad_output)
    return {
        "op": op,
        "options": options,
        "input": stored(x),
        "gradOutput": stored(grad_output),
        "output": stored(out),
        "gradInput": stored(x.grad),
    }


def elementwise_cases():
    x = formula([3, 7], 0.2, 6.0)
    wide = torch.tensor([-30.0, -15.0, -3.0, -0.5, 0.0, 0.5, 3.0, 15.0, 25.0, 40.0])
    cases = []
    for sample in (x, wide):
        cases += [
            unary_case("tanh", torch.tanh, sample),
            unary_case("sin", torch.sin, sample),
            unary_case("cos", torch.cos, sample),
            unary_case("erf", torch.erf, sample),
            unary_case("gelu", F.gelu, sample),
            unary_case("silu", F.silu, sample),
            unary_case("softplus", F.softplus, sample),
        ]
    cases.append(unary_case("softplus", lambda t: F.softplus(t, beta=2.0, threshold=5.0), wide, beta=2.0, threshold=5.0))
    return cases


def loss_case(op, fn, x, target, reduction):
    """A loss and its gradients for input and target."""
    x = x.detach().clone().requires_grad_()
    target = target.detach().clone().requires_grad_()
    out = fn(x, target, reduction=reduction)
    grad_output = formula(list(out.shape), 0.5) if reduction == "none" else torch.tensor(1.0)
    out.backward(grad_output)
    return {
        "op": op,
        "reduction": reduction,
        "input": stored(x),
        "target": stored(target),
        "gradOutput": stored(grad_output),
        "output": stored(out),
        "gradInput": stored(x.grad),
        "gradTarget": stored(target.grad),
    }


def loss_cases():
    x = formula([4, 5], 0.3, 3.0)
    y = formula([4, 5], 1.9, 2.0)
    probability = torch.sigmoid(formula([4, 5], 2.6, 3.0))
    large = torch.tensor([[60.0, -60.0, 20.0], [-20.0, 0.0, 100.0]])
    large_target = torch.tensor([[1.0, 0.0, 0.0], [1.0, 0.5, 0.25]])
    cases = []
    for reduction in ("mean", "sum", "none"):
        cases += [
            loss_case("mseLoss", F.mse_loss, x, y, reduction),
            loss_case("l1Loss", F.l1_loss, x, y, reduction),
            loss_case("binaryCrossEntropyWithLogits", F.binary_cross_entropy_with_logits, x, probability, reduction),
        ]
    cases.append(
        loss_case("binaryCrossEntropyWithLogits", F.binary_cross_entropy_with_logits, large, large_target, "none")
    )
    return cases


def pool_case(op, fn, x, kernel, stride, padding, **extra):
    x = x.detach().clone().requires_grad_()
    out = fn(x, kernel, stride, padding, **extra)
    grad_output = formula(list(out.shape), 0.5)
    out.backward(grad_output)
    case = {"op": op, "kernelSize": kernel, "stride": stride, "padding": padding}
    case.update(extra)
    case.update(
        {
            "input": stored(x),
            "gradOutput": stored(grad_output),
            "output": stored(out),
            "gradInput": stored(x.grad),
        }
    )
    return case


def pool_cases():
    x = formula([2, 3, 7, 6], 0.4, 2.0)
    ties = torch.tensor([[[[1.0, 1.0, 2.0, 2.0], [1.0, 1.0, 2.0, 2.0], [0.0, 3.0, 3.0, 0.0], [3.0, 0.0, 0.0, 3.0]]]])
    cases = []
    for kernel, stride, padding in (([2, 2], [2, 2], [0, 0]), ([3, 3], [2, 2], [1, 1]), ([3, 2], [1, 2], [1, 0])):
        cases += [
            pool_case("maxPool2d", F.max_pool2d, x, kernel, stride, padding),
            pool_case("avgPool2d", F.avg_pool2d, x, kernel, stride, padding),
            pool_case("avgPool2d", F.avg_pool2d, x, kernel, stride, padding, count_include_pad=False),
        ]
    cases.append(pool_case("maxPool2d", F.max_pool2d, ties, [2, 2], [2, 2], [0, 0]))
    cases.append(pool_case("maxPool2d", F.max_pool2d, ties, [3, 3], [1, 1], [1, 1]))
    return cases


def layer_norm_case(x, normalized_shape, affine, eps=1e-5):
    x = x.detach().clone().requires_grad_()
    weight = formula(normalized_shape, 1.3, 1.5).requires_grad_() if affine else None
    bias = formula(normalized_shape, 2.1).requires_grad_() if affine else None
    out = F.layer_norm(x, normalized_shape, weight, bias, eps)
    grad_output = formula(list(out.shape), 0.5)
    out.backward(grad_output)
    case = {
        "op": "layerNorm",
        "normalizedShape": normalized_shape,
        "eps": eps,
        "input": stored(x),
        "gradOutput": stored(grad_output),
        "output": stored(out),
        "gradInput": stored(x.grad),
    }
    if affine:
        case.update({"weight": stored(weight), "bias": stored(bias), "gradWeight": stored(weight.grad), "gradBias": stored(bias.grad)})
    return case


def layer_norm_cases():
    return [
        layer_norm_case(formula([4, 6], 0.9, 3.0), [6], True),
        layer_norm_case(formula([2, 3, 4, 5], 0.1, 2.0), [4, 5], True),
        layer_norm_case(formula([3, 8], 1.7, 0.01), [8], False, eps=1e-3),
        layer_norm_case(formula([2, 5], 2.2, 100.0) + 1000.0, [5], True),
    ]


def write_fixture(filename, cases):
    """Writes through a temporary file and a rename, so a crash never leaves half a fixture."""
    document = {"op": "learner ops", "generator": SCRIPT, "torch": torch.__version__, "dtype": "float32", "cases": cases}
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, filename)
    fd, temp = tempfile.mkstemp(dir=OUT_DIR, prefix=filename, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        f.write(CompactEncoder().encode(document) + "\n")
    os.replace(temp, path)
    print(f"wrote {os.path.relpath(path)} ({os.path.getsize(path)} bytes)")


def main():
    torch.set_num_threads(1)
    write_fixture("learner-ops.json", elementwise_cases() + loss_cases() + pool_cases() + layer_norm_cases())


if __name__ == "__main__":
    main()
