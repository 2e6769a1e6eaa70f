"""Golden values for arcgrad's optimizers, from PyTorch (run with /usr/bin/python3; PyTorch 1.13).

Writes test/fixtures/optim/optimizers.json: for each case, the initial parameters, the gradient fed at
every step (null = the parameter has no gradient that step, so the optimizer must skip it), and the
parameters and learning rates after every optimizer.step() (and scheduler.step() where a StepLR is used).
Cases with parameter groups put each parameter in its own group, with per-group overrides of the defaults.
Values are stored as exact decimal doubles, so float32 data round-trips bit for bit.
Usage: /usr/bin/python3 scripts/make_optim_fixtures.py
"""
import json
import os
import tempfile

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "optim", "optimizers.json")
SHAPES = [[3, 2], [4]]
STEPS = 6

CASES = [
    # name, optimizer, arcgrad options, torch kwargs, StepLR (stepSize, gamma) or None,
    # and optionally per-group overrides (arcgrad names, torch names), one group per parameter
    ("sgd plain", "SGD", {"lr": 0.1}, {"lr": 0.1}, None),
    ("sgd momentum + dampening", "SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3},
     {"lr": 0.05, "momentum": 0.9, "dampening": 0.3}, None),
    ("sgd nesterov", "SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True},
     {"lr": 0.05, "momentum": 0.8, "nesterov": True}, None),
    ("sgd weight decay (the reference recipe's settings) + StepLR", "SGD", {"lr": 0.1, "momentum": 0.9, "weightDecay": 5e-4},
     {"lr": 0.1, "momentum": 0.9, "weight_decay": 5e-4}, (2, 0.1)),
    ("sgd weight decay without momentum", "SGD", {"lr": 0.1, "weightDecay": 0.01}, {"lr": 0.1, "weight_decay": 0.01}, None),
    ("adam defaults", "Adam", {"lr": 1e-3}, {"lr": 1e-3}, None),
    ("adam betas + eps + weight decay + StepLR", "Adam",
     {"lr": 0.01, "betas": [0.8, 0.99], "eps": 1e-6, "weightDecay": 0.1},
     {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.1}, (3, 0.5)),
    ("adam amsgrad", "Adam", {"lr": 0.01, "amsgrad": True}, {"lr": 0.01, "amsgrad": True}, None),
    ("sgd parameter groups (second: lr x3, no weight decay) + StepLR", "SGD",
     {"lr": 0.1, "momentum": 0.9, "weightDecay": 5e-4}, {"lr": 0.1, "momentum": 0.9, "weight_decay": 5e-4}, (2, 0.5),
     ([{}, {"lr": 0.3, "weightDecay": 0}], [{}, {"lr": 0.3, "weight_decay": 0}])),
    ("adamw parameter groups (second: no weight decay, other betas) + StepLR", "AdamW",
     {"lr": 0.01, "weightDecay": 0.1}, {"lr": 0.01, "weight_decay": 0.1}, (3, 0.5),
     ([{}, {"weightDecay": 0, "betas": [0.8, 0.99]}], [{}, {"weight_decay": 0, "betas": (0.8, 0.99)}])),
]


def run_case(name, kind, options, torch_kwargs, schedule, groups=None, *, dtype, seed):
    gen = torch.Generator().manual_seed(seed)
    params = [torch.randn(s, generator=gen, dtype=dtype).requires_grad_() for s in SHAPES]
    initial = [p.detach().flatten().tolist() for p in params]
    torch_params = [{"params": [p], **overrides} for p, overrides in zip(params, groups[1])] if groups else params
    optimizer = getattr(torch.optim, kind)(torch_params, **torch_kwargs)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=schedule[0], gamma=schedule[1]) if schedule else None
    steps = []
    for step in range(STEPS):
        grads = []
        for i, p in enumerate(params):
            # The second parameter gets no gradient at step 2: PyTorch skips it (no decay, no momentum update).
            if i == 1 and step == 2:
                p.grad = None
                grads.append(None)
            else:
                # Gradients with a few large entries so that the moments and momentum differ visibly.
                g = torch.randn(p.shape, generator=gen, dtype=dtype) * (1 + 3 * (step % 2))
                p.grad = g
                grads.append(g.flatten().tolist())
        optimizer.step()
        if scheduler:
            scheduler.step()
        steps.append({
            "grads": grads,
            "params": [p.detach().flatten().tolist() for p in params],
            "lr": optimizer.param_groups[0]["lr"],
            "lrs": [group["lr"] for group in optimizer.param_groups],
        })
    return {
        "name": f"{name} ({'float64' if dtype == torch.float64 else 'float32'})",
        "optimizer": kind,
        "options": options,
        "groups": groups[0] if groups else None,
        "stepLR": {"stepSize": schedule[0], "gamma": schedule[1]} if schedule else None,
        "dtype": "float64" if dtype == torch.float64 else "float32",
        "shapes": SHAPES,
        "initial": initial,
        "steps": steps,
    }


def main():
    cases = []
    for index, case in enumerate(CASES):
        for dtype in (torch.float32, torch.float64):
            cases.append(run_case(*case, dtype=dtype, seed=100 + index))
    doc = {"source": "scripts/make_optim_fixtures.py", "torch": torch.__version__, "cases": cases}
    folder = os.path.dirname(OUT)
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, OUT)
    print(f"wrote {OUT}: {len(cases)} cases")


if __name__ == "__main__":
    main()
