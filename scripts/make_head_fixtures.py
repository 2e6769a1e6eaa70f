"""Golden values for arcgrad's margin heads and losses, from the reference recipe's PyTorch modules.

Run with /usr/bin/python3 (PyTorch 1.13). Imports ../shared/seed/torch_reference.py (override the
folder with ARCGRAD_SEED_DIR) and writes test/fixtures/heads/heads.json with, per case and dtype:
embeddings, class weights, labels, the recipe's CosFace/ArcFace logits, focal loss and cross-entropy
on them, and the gradients of the focal loss w.r.t. embeddings and weights.

Boundary cases (an embedding exactly parallel or antiparallel to its class weight, cos = +-1) give
NaN gradients in the reference recipe. For those the script records that fact and computes the gradients with
the recipe's formulas except for one documented change, the derivative of sqrt(1 - cos^2) taken as 0
where it is 0 (arcgrad's marginSine); everywhere else that variant equals the recipe (checked below).
"""
import json
import math
import os
import sys
import tempfile

import torch
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, os.environ.get("ARCGRAD_SEED_DIR", os.path.join(ROOT, "..", "shared", "seed")))
from torch_reference import ArcFace, CosFace, focal_loss  # noqa: E402

OUT = os.path.join(ROOT, "test", "fixtures", "heads", "heads.json")


class MarginSine(torch.autograd.Function):
    """sqrt(clamp(1 - c^2, 0, 1)) with d/dc = -c / sin, and 0 where sin = 0 (arcgrad's convention)."""

    @staticmethod
    def forward(ctx, cosine):
        sine = (1.0 - cosine.pow(2)).clamp(0, 1).sqrt()
        ctx.save_for_backward(cosine, sine)
        return sine

    @staticmethod
    def backward(ctx, grad):
        cosine, sine = ctx.saved_tensors
        safe = torch.where(sine > 0, sine, torch.ones_like(sine))
        return torch.where(sine > 0, -grad * cosine / safe, torch.zeros_like(grad))


class BoundarySafeArcFace(ArcFace):
    """The reference recipe's ArcFace.forward with MarginSine in place of the sqrt and cosine clamped into [-1, 1]."""

    def forward(self, x, label):
        cosine = F.linear(F.normalize(x), F.normalize(self.weight)).clamp(-1, 1)
        sine = MarginSine.apply(cosine)
        phi = cosine * self.cos_m - sine * self.sin_m
        phi = torch.where(cosine > self.th, phi, cosine - self.mm)
        out = cosine * 1.0
        idx = torch.arange(len(out))
        out[idx, label] = phi[idx, label]
        return out * self.s


def flat(t):
    return t.detach().flatten().tolist()


def run(head, x, labels):
    x = x.clone().requires_grad_()
    head.weight.grad = None
    logits = head(x, labels)
    loss = focal_loss(logits, labels)
    ce = F.cross_entropy(logits, labels)
    loss.backward()
    return {
        "logits": flat(logits),
        "focalLoss": loss.item(),
        "crossEntropy": ce.item(),
        "gradEmbeddings": flat(x.grad),
        "gradWeight": flat(head.weight.grad),
    }


def head_case(name, kind, options, x, weight, labels, dtype, boundary=False):
    batch, features = x.shape
    classes = weight.shape[0]
    torch_options = {"s": options["s"], "m": options["m"]}
    seed_head = (ArcFace if kind == "ArcFace" else CosFace)(features, classes, **torch_options).to(dtype)
    with torch.no_grad():
        seed_head.weight.copy_(weight)
    seed = run(seed_head, x, labels)
    case = {
        "name": f"{name} ({'float64' if dtype == torch.float64 else 'float32'})",
        "head": kind,
        "options": options,
        "dtype": "float64" if dtype == torch.float64 else "float32",
        "batch": batch,
        "features": features,
        "classes": classes,
        "embeddings": flat(x),
        "weight": flat(weight),
        "labels": labels.tolist(),
        "seedGradientsFinite": all(math.isfinite(v) for v in seed["gradEmbeddings"] + seed["gradWeight"]),
    }
    if kind == "ArcFace":
        safe_head = BoundarySafeArcFace(features, classes, **torch_options).to(dtype)
        with torch.no_grad():
            safe_head.weight.copy_(weight)
        safe = run(safe_head, x, labels)
        if not boundary:
            for key in ("gradEmbeddings", "gradWeight"):
                assert torch.allclose(torch.tensor(safe[key]), torch.tensor(seed[key]), rtol=1e-6, atol=1e-7), key
        # Logits and losses: the recipe's own numbers; gradients: the recipe's, or the boundary-safe variant's.
        case.update({k: seed[k] for k in ("logits", "focalLoss", "crossEntropy")})
        case.update({k: safe[k] for k in ("gradEmbeddings", "gradWeight")})
        case["gradientSource"] = "seed ArcFace" if not boundary else "seed ArcFace with MarginSine (derivative 0 at |cos| = 1)"
    else:
        case.update(seed)
        case["gradientSource"] = "seed CosFace"
    return case


def main():
    cases = []
    for dtype in (torch.float32, torch.float64):
        gen = torch.Generator().manual_seed(2024)
        batch, features, classes = 5, 8, 6
        x = torch.randn(batch, features, generator=gen, dtype=dtype) * 3
        weight = (torch.rand(classes, features, generator=gen, dtype=dtype) * 2 - 1) * math.sqrt(6 / (classes + features))
        labels = torch.tensor([2, 0, 5, 2, 3])
        # Sample 1 nearly antiparallel to its class (cos < cos(pi - m): the fallback branch), sample 3
        # nearly parallel (large positive cosine), so both ArcFace branches are exercised.
        with torch.no_grad():
            x[1] = -weight[0] * 4 + 0.05 * torch.randn(features, generator=gen, dtype=dtype)
            x[3] = weight[2] * 2 + 0.05 * torch.randn(features, generator=gen, dtype=dtype)
        cases.append(head_case("CosFace s=30 m=0.4", "CosFace", {"s": 30, "m": 0.4}, x, weight, labels, dtype))
        cases.append(head_case("ArcFace s=30 m=0.5", "ArcFace", {"s": 30, "m": 0.5}, x, weight, labels, dtype))
        cases.append(head_case("ArcFace s=64 m=0.3", "ArcFace", {"s": 64, "m": 0.3}, x, weight, labels, dtype))
        # Exact boundary: sample 0 parallel to class 2 (cos = 1 exactly), sample 1 antiparallel to class 0 (cos = -1).
        xb = x.clone()
        wb = weight.clone()
        wb[2] = 0
        wb[2, 0] = 0.5
        wb[0] = 0
        wb[0, 1] = 0.25
        xb[0] = 0
        xb[0, 0] = 2
        xb[1] = 0
        xb[1, 1] = -4
        cases.append(head_case("ArcFace at cos = +1 and -1", "ArcFace", {"s": 30, "m": 0.5}, xb, wb, labels, dtype, True))

    ce_cases = []
    for dtype in (torch.float32, torch.float64):
        gen = torch.Generator().manual_seed(7)
        logits = (torch.randn(4, 5, generator=gen, dtype=dtype) * 40).requires_grad_()
        labels = torch.tensor([4, 0, 1, 4])
        entry = {"dtype": "float64" if dtype == torch.float64 else "float32", "shape": [4, 5],
                 "logits": flat(logits), "labels": labels.tolist()}
        for reduction in ("none", "sum", "mean"):
            logits.grad = None
            loss = F.cross_entropy(logits, labels, reduction=reduction)
            loss.sum().backward()
            entry[reduction] = {"loss": flat(loss), "gradOfSum": flat(logits.grad)}
        logits.grad = None
        focal = focal_loss(logits, labels)
        focal.backward()
        entry["focal"] = {"loss": focal.item(), "grad": flat(logits.grad)}
        ce_cases.append(entry)

    doc = {"source": "scripts/make_head_fixtures.py", "torch": torch.__version__, "heads": cases, "losses": ce_cases}
    folder = os.path.dirname(OUT)
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, OUT)
    print(f"wrote {OUT}: {len(cases)} head cases, {len(ce_cases)} loss cases")
    for c in cases:
        print(c["name"], "seed gradients finite:", c["seedGradientsFinite"])


if __name__ == "__main__":
    main()
