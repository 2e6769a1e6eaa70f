"""Golden values from PyTorch for the ops a learner reaches for first: smooth activations and
trigonometry, regression and binary losses, pooling, layer norm, AdamW and the learning-rate
schedules. Forward values and gradients are float32, written to test/fixtures/core/learner-ops.json and
compared by test/golden/learner-ops.test.ts; AdamW trajectories (float32 and float64) and
learning-rate sequences are exact doubles, written to test/fixtures/optim/learner-optim.json
and compared by test/optim/adamw-and-schedules.test.ts (so CI needs no PyTorch).

Every number comes from torch 1.13 run on inputs from make_golden_core.py's formula (sines of
the element index, rounded to float32), stored in the fixture next to the outputs; each backward
uses a stored upstream gradient. The AdamW trajectories reuse make_optim_fixtures.py's run_case
(seeded torch.randn parameters and gradients, one parameter skipped at step 2).

Usage (PyTorch 1.13 is Debian's python3-torch): /usr/bin/python3 scripts/make_golden_learner_ops.py
"""
import json
import os
import tempfile

import torch
import torch.nn.functional as F

from make_golden_core import OUT_DIR, CompactEncoder, formula, stored
from make_optim_fixtures import run_case

OPTIM_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "optim", "learner-optim.json")

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


def adamw_cases():
    settings = [
        ("adamw defaults", {}, {}),
        (
            "adamw betas + eps + weight decay 0.1 + amsgrad",
            {"lr": 0.01, "betas": [0.8, 0.99], "eps": 1e-6, "weightDecay": 0.1, "amsgrad": True},
            {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.1, "amsgrad": True},
        ),
    ]
    cases = []
    for index, (name, options, torch_kwargs) in enumerate(settings):
        for dtype in (torch.float32, torch.float64):
            cases.append(run_case(name, "AdamW", options, torch_kwargs, None, dtype=dtype, seed=300 + index))
    return cases


def schedule_case(name, kind, options, make, epochs, lr=0.1):
    """The lr PyTorch's scheduler sets after construction and after each of `epochs` steps."""
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
    scheduler = make(optimizer)
    lrs = [optimizer.param_groups[0]["lr"]]
    for _ in range(epochs):
        optimizer.step()
        scheduler.step()
        lrs.append(optimizer.param_groups[0]["lr"])
    return {"name": name, "scheduler": kind, "options": options, "lr": lr, "lrs": lrs}


def schedule_cases():
    schedulers = torch.optim.lr_scheduler
    return [
        schedule_case("cosine tMax 10, past the trough", "CosineAnnealingLR", {"tMax": 10},
                      lambda o: schedulers.CosineAnnealingLR(o, T_max=10), 25),
        schedule_case("cosine tMax 7 etaMin 0.001", "CosineAnnealingLR", {"tMax": 7, "etaMin": 0.001},
                      lambda o: schedulers.CosineAnnealingLR(o, T_max=7, eta_min=0.001), 30),
        schedule_case("linear warm-up defaults", "LinearLR", {}, lambda o: schedulers.LinearLR(o), 8),
        schedule_case("linear warm-up from 0.01 over 4", "LinearLR", {"startFactor": 0.01, "totalIters": 4},
                      lambda o: schedulers.LinearLR(o, start_factor=0.01, total_iters=4), 7),
        schedule_case("linear decay to 0.2", "LinearLR", {"startFactor": 1.0, "endFactor": 0.2, "totalIters": 5},
                      lambda o: schedulers.LinearLR(o, start_factor=1.0, end_factor=0.2, total_iters=5), 8),
    ]


def write_optim_fixture(document):
    """Plain json keeps doubles exact (shortest repr round-trips), unlike the float32 encoder above."""
    document = {"generator": SCRIPT, "torch": torch.__version__, **document}
    folder = os.path.dirname(OPTIM_OUT)
    fd, temp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(document, f, separators=(",", ":"))
        f.write("\n")
    os.chmod(temp, 0o644)
    os.replace(temp, OPTIM_OUT)
    print(f"wrote {os.path.relpath(OPTIM_OUT)} ({os.path.getsize(OPTIM_OUT)} bytes)")


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
    write_optim_fixture({"adamw": adamw_cases(), "schedules": schedule_cases()})


if __name__ == "__main__":
    main()
