"""Child process of bench/peak-memory.ts: the PyTorch side of the peak-memory measurement.

Builds the reference recipe's FaceMobileNet + ArcFace + focal loss + SGD (as torch_bench.py does, plus momentum
0.9 so the optimiser holds a buffer per parameter, as in real training), runs two steps on 2
threads (the build machine's cores, as arcgrad's default), and prints one JSON line with
VmRSS before the first step and VmHWM (the kernel's resident high-water mark) at the end.
It runs in a fresh process so the high-water mark belongs to this step alone.
Usage: /usr/bin/python3 bench/peers/torch_peak_memory.py <batch>"""
import json
import os
import sys
import time

import torch

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SEED_DIR = os.environ.get("SEED_DIR", os.path.join(REPO, "..", "shared", "seed"))
sys.path.insert(0, SEED_DIR)


def status_mib(field):
    """One field of /proc/self/status in MiB (the kernel reports kB)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"peak-memory: /proc/self/status has no {field} line")


def main():
    from torch_reference import ArcFace, FaceMobileNet, focal_loss

    batch = int(sys.argv[1])
    torch.set_num_threads(2)
    torch.manual_seed(0)
    net, head = FaceMobileNet(512, 128), ArcFace(512, 1000)
    opt = torch.optim.SGD(list(net.parameters()) + list(head.parameters()), lr=0.1, momentum=0.9, weight_decay=5e-4)
    x, y = torch.randn(batch, 1, 128, 128), torch.randint(0, 1000, (batch,))
    net.train()
    baseline = status_mib("VmRSS")
    losses = []
    started = time.perf_counter()
    for _ in range(2):
        opt.zero_grad()
        loss = focal_loss(head(net(x), y), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    print(json.dumps({"baselineRssMiB": baseline, "peakRssMiB": status_mib("VmHWM"), "threads": torch.get_num_threads(),
                      "steps": 2, "seconds": time.perf_counter() - started, "losses": losses,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
