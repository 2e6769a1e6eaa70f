"""PyTorch peer of the arcgrad benchmarks (run by bench/peers/torch.ts with /usr/bin/python3).

Reads one JSON request on stdin: {"threads", "minSamples", "timeMs", "cases": [...], "model": {...}}
and prints one JSON object: per kernel case and model task, the first call and steady-state
mean/p50/p99 in milliseconds. Cases use arcgrad's names: matmul m, k, n with transposes, and
conv2d geometries (NCHW) with pass forward / gradInput / gradWeight. The conv gradients call
torch.nn.grad.conv2d_input / conv2d_weight, i.e. the same aten convolution_backward kernels
autograd runs. The model is the reference recipe's FaceMobileNet + ArcFace + focal loss + SGD, imported from
../shared/seed/torch_reference.py (or $SEED_DIR), like scripts/make_parity_fixtures.py does."""
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SEED_DIR = os.environ.get("SEED_DIR", os.path.join(REPO, "..", "shared", "seed"))
sys.path.insert(0, SEED_DIR)


def timed(run, min_samples, time_ms):
    """First call apart, then at least min_samples calls and at least time_ms of sampling."""
    start = time.perf_counter()
    run()
    first = (time.perf_counter() - start) * 1000
    samples = []
    cpu = time.process_time()
    begun = time.perf_counter()
    while len(samples) < min_samples or (time.perf_counter() - begun) * 1000 < time_ms:
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    cores = (time.process_time() - cpu) / max(time.perf_counter() - begun, 1e-9)
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    return {"firstMs": first, "meanMs": statistics.fmean(samples), "p50Ms": statistics.median(samples),
            "p99Ms": p99, "samples": len(samples), "coresUsed": round(cores, 2)}


def kernel_runner(case):
    """A closure running one case, inputs made once (as arcgrad's rows reuse theirs)."""
    if case["kind"] == "matmul":
        m, k, n = case["m"], case["k"], case["n"]
        a = torch.randn(k, m) if case["transposeA"] else torch.randn(m, k)
        b = torch.randn(n, k) if case["transposeB"] else torch.randn(k, n)
        ta, tb = case["transposeA"], case["transposeB"]
        return lambda: torch.matmul(a.t() if ta else a, b.t() if tb else b)
    g = case["geometry"]
    stride, padding, groups = g["strideHeight"], g["paddingHeight"], g["groups"]
    x = torch.randn(g["batch"], g["inChannels"], g["inHeight"], g["inWidth"])
    w = torch.randn(g["outChannels"], g["inChannels"] // groups, g["kernelHeight"], g["kernelWidth"])
    dy = torch.randn(g["batch"], g["outChannels"], g["outHeight"], g["outWidth"])
    if case["pass"] == "forward":
        return lambda: F.conv2d(x, w, None, stride, padding, 1, groups)
    if case["pass"] == "gradInput":
        return lambda: torch.nn.grad.conv2d_input(x.shape, w, dy, stride, padding, 1, groups)
    return lambda: torch.nn.grad.conv2d_weight(x, w.shape, dy, stride, padding, 1, groups)


def model_rows(model, min_samples):
    from torch_reference import ArcFace, FaceMobileNet, focal_loss

    torch.manual_seed(0)
    batch, size, classes = model["batch"], model["inputSize"], model["classes"]
    net, head = FaceMobileNet(512, size), ArcFace(512, classes)
    x, y = torch.randn(batch, 1, size, size), torch.randint(0, classes, (batch,))
    opt = torch.optim.SGD(list(net.parameters()) + list(head.parameters()), lr=0.1, weight_decay=5e-4)
    rows = []
    if "train" in model["tasks"]:
        net.train()

        def step():
            opt.zero_grad()
            loss = focal_loss(head(net(x), y), y)
            loss.backward()
            opt.step()

        rows.append({"task": "train", "timing": timed(step, min_samples, 0)})
    if "infer" in model["tasks"]:
        net.eval()

        def infer():
            with torch.no_grad():
                net(x)

        rows.append({"task": "infer", "timing": timed(infer, min_samples, 0)})
    return rows


def main():
    request = json.load(sys.stdin)
    torch.set_num_threads(request["threads"])
    kernels = []
    with torch.no_grad():
        for case in request["cases"]:
            kernels.append({"id": case["id"], "timing": timed(kernel_runner(case), request["minSamples"], request["timeMs"])})
    models, notices = [], []
    if request["model"]["tasks"]:
        if os.path.exists(os.path.join(SEED_DIR, "torch_reference.py")):
            models = model_rows(request["model"], request["model"]["minSamples"])
        else:
            notices.append(f"PyTorch model rows skipped: no torch_reference.py in {os.path.normpath(SEED_DIR)} (set SEED_DIR)")
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "kernels": kernels,
                      "models": models, "notices": notices}))


if __name__ == "__main__":
    main()
