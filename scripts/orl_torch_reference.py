"""The reference recipe trained in PyTorch on ORL, so arcgrad's `test` can score it on arcgrad's own pair list.

/usr/bin/python3 scripts/orl_torch_reference.py [--data ../shared/datasets/orl_faces] [--epochs 30]
    [--out runs/orl-torch/facemobilenet.safetensors] [--limit N] [--evaluate]

Trains FaceMobileNet(512) + ArcFace(s=30, m=0.5) with focal loss (gamma 2) on subjects s1..s30 (10 PGM
images each, class = subject), SGD lr 0.1, weight decay 5e-4, StepLR(10, 0.1), batch 32, the recipe's train
transform at 128 px; torch.manual_seed(--seed, default 0), 2 threads. Saves the eval-ready state dict (BatchNorm running
statistics included) with the recipe's keys as safetensors. --evaluate then runs, from the repo root,
  npx tsx src/cli/main.ts pairs DATA --identities s31..s40 --out DIR/pairs.txt
  npx tsx src/cli/main.ts test --model OUT --input-size 128 --pairs DIR/pairs.txt --root DATA --json
so the PyTorch figure and arcgrad's runs are measured on identical pairs with identical folds.
--limit N keeps N images per subject and is only for a quick smoke test of the script.
"""
import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import torch
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(Path(os.environ.get("SEED_DIR", ROOT.parent / "shared" / "seed"))))
from torch_reference import ArcFace, FaceMobileNet, focal_loss  # noqa: E402
from torch_roundtrip import write  # noqa: E402  (temp file + rename, F32/I64 safetensors)

SIDE, RESIZE = 128, 144


def load(data, subjects, limit):
    """Every image of the subjects as a grayscale PIL image, label = subject index."""
    images, labels = [], []
    for label, subject in enumerate(subjects):
        files = sorted((Path(data) / subject).glob("*.pgm"), key=lambda p: int(p.stem))[:limit]
        if not files:
            raise SystemExit(f"orl_torch_reference: no .pgm images in {Path(data) / subject}")
        for f in files:
            images.append(Image.open(f).convert("L"))
            labels.append(label)
    return images, torch.tensor(labels)


def train_transform(image):
    """The reference recipe's train transform without torchvision (not installed here): random horizontal flip,
    bilinear resize to 144 x 144 (PIL, as torchvision's Resize on PIL images), random 128 x 128 crop,
    to [0, 1], normalise mean 0.5 std 0.5. Randomness comes from torch's generator, so the random seed fixes it."""
    if torch.rand(1).item() < 0.5:
        image = image.transpose(Image.FLIP_LEFT_RIGHT)
    image = image.resize((RESIZE, RESIZE), Image.BILINEAR)
    top, left = (int(v) for v in torch.randint(0, RESIZE - SIDE + 1, (2,)))
    pixels = torch.frombuffer(bytearray(image.crop((left, top, left + SIDE, top + SIDE)).tobytes()), dtype=torch.uint8)
    return (pixels.float().div(255).view(1, SIDE, SIDE) - 0.5) / 0.5


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "datasets" / "orl_faces"))
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--limit", type=int, default=None, help="images per subject (smoke tests only)")
    parser.add_argument("--out", default="runs/orl-torch/facemobilenet.safetensors")
    parser.add_argument("--evaluate", action="store_true", help="then run arcgrad pairs + test on s31..s40")
    parser.add_argument("--seed", type=int, default=0, help="torch.manual_seed: initialisation, order, augmentation")
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    images, labels = load(args.data, [f"s{i}" for i in range(1, 31)], args.limit)
    net, head = FaceMobileNet(512, SIDE), ArcFace(512, 30)
    opt = torch.optim.SGD(list(net.parameters()) + list(head.parameters()), lr=0.1, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.1)
    print(f"{len(images)} images, {int(labels.max()) + 1} classes, {args.epochs} epochs", flush=True)

    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        net.train()
        # Shuffled each epoch, last batch kept (DataLoader(shuffle=True) defaults, as in the reference recipe).
        order, total, seen = torch.randperm(len(images)), 0.0, 0
        for begin in range(0, len(order), args.batch_size):
            idx = order[begin : begin + args.batch_size]
            x = torch.stack([train_transform(images[i]) for i in idx])
            y = labels[idx]
            loss = focal_loss(head(net(x), y), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total, seen = total + loss.item() * len(idx), seen + len(idx)
        lr = opt.param_groups[0]["lr"]
        sched.step()
        print(f"epoch {epoch:2d} lr {lr:g} loss {total / seen:.4f} ({time.perf_counter() - start:.0f} s)", flush=True)
    print(f"training wall time {time.perf_counter() - start:.1f} s", flush=True)

    out = Path(args.out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    net.eval()  # eval-ready: the running statistics are what arcgrad's test uses
    write(out, {k: v.detach().clone() for k, v in net.state_dict().items()})
    print(f"wrote {out}", flush=True)

    if args.evaluate:
        pairs = out.parent / "pairs.txt"
        cli = ["npx", "tsx", "src/cli/main.ts"]
        subprocess.run(cli + ["pairs", args.data, "--identities", "s31..s40", "--out", str(pairs)], cwd=ROOT, check=True)
        test = ["test", "--model", str(out), "--input-size", str(SIDE), "--pairs", str(pairs), "--root", args.data, "--json"]
        subprocess.run(cli + test, cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
