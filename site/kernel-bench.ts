import * as gpujs from 'gpu.js';
import { Bench } from 'tinybench';
import { cpuBackend } from '../src/backend/cpu/cpu-backend.js';
import { GpuBackend } from '../src/backend/gpu/gpu-backend.js';
import type { Conv2dGeometry, KernelBackend } from '../src/backend/kernels.js';
import { conv2dGeometry, type GpuJsModule, startCpuThreads, startWebGpu, useGpuJs } from '../src/browser.js';

/**
 * CPU against GPU in the page: the same kernel problems on the CPU backend (Web Workers, WebAssembly
 * SIMD), gpu.js WebGL2 and gpu.js WebGPU (through the WebGPU worker), timed with tinybench after a
 * first call that compiles the shape's kernel. Runs in a worker (the CPU pool and the WebGPU bridge
 * block in Atomics.wait).
 */

/** One measured problem on one backend. */
export interface KernelTiming {
  backend: string;
  kernelClass: string;
  problem: string;
  flops: number;
  firstMs: number;
  meanMs: number;
  gflops: number;
}

/** A problem: its name, FLOPs and a call on a backend. */
interface Problem {
  name: string;
  flops: number;
  run(backend: KernelBackend): void;
}

function random(size: number): Float32Array {
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = Math.random() * 2 - 1;
  return data;
}

function matmulProblem(n: number, name = `matmul ${n}x${n}x${n}`): Problem {
  const a = random(n * n);
  const b = random(n * n);
  const out = new Float32Array(n * n);
  const problem = {
    a,
    b,
    out,
    batch: 1,
    m: n,
    k: n,
    n,
    transposeA: false,
    transposeB: false,
    aBatchStride: 0,
    bBatchStride: 0,
  };
  return { name, flops: 2 * n * n * n, run: (backend) => backend.matmul(problem) };
}

function convProblems(name: string, g: Conv2dGeometry): Problem[] {
  const x = random(g.batch * g.inChannels * g.inHeight * g.inWidth);
  const w = random(g.outChannels * (g.inChannels / g.groups) * g.kernelHeight * g.kernelWidth);
  const y = random(g.batch * g.outChannels * g.outHeight * g.outWidth);
  const dx = new Float32Array(x.length);
  const dw = new Float32Array(w.length);
  const out = new Float32Array(y.length);
  const flops =
    2 * g.batch * g.outChannels * g.outHeight * g.outWidth * (g.inChannels / g.groups) * g.kernelHeight * g.kernelWidth;
  return [
    { name: `${name} forward`, flops, run: (backend) => backend.conv2dForward(x, w, out, g) },
    { name: `${name} input gradient`, flops, run: (backend) => backend.conv2dBackwardInput(y, w, dx, g) },
    { name: `${name} weight gradient`, flops, run: (backend) => backend.conv2dBackwardWeight(x, y, dw, g) },
  ];
}

/**
 * The problems: a 4x4 matmul whose time is all fixed cost (upload, dispatch, readback; through
 * the WebGPU worker for webgpu), square matmuls for the crossover, and FaceMobileNet layers.
 */
export function benchProblems(): Problem[] {
  const conv = (
    inChannels: number,
    side: number,
    outChannels: number,
    kernel: number,
    stride: number,
    groups: number,
  ) =>
    conv2dGeometry([1, inChannels, side, side], [outChannels, inChannels / groups, kernel, kernel], {
      stride,
      padding: (kernel - 1) / 2,
      groups,
    });
  return [
    matmulProblem(4, 'matmul 4x4x4 (the fixed cost of one call)'),
    ...[64, 128, 256, 512].map((n) => matmulProblem(n)),
    ...convProblems('conv1 3x3 s2 1->64 at 64 px', conv(1, 64, 64, 3, 2, 1)),
    ...convProblems('conv2 depthwise 3x3 64 at 32 px', conv(64, 32, 64, 3, 1, 64)),
    ...convProblems('conv3 expand 1x1 64->128 at 32 px', conv(64, 32, 128, 1, 1, 1)),
  ];
}

/** The backends to compare; a GPU one that cannot start is reported by its reason instead. */
async function backends(): Promise<{ label: string; backend: KernelBackend | null; kernelClass: string }[]> {
  await startCpuThreads();
  const list: { label: string; backend: KernelBackend | null; kernelClass: string }[] = [
    { label: 'cpu', backend: cpuBackend, kernelClass: cpuBackend.describe?.().kernelClass ?? 'cpu' },
  ];
  useGpuJs(gpujs as unknown as GpuJsModule);
  for (const mode of ['webgl2', 'webgpu'] as const) {
    try {
      if (mode === 'webgpu') await startWebGpu();
      const gpu = new GpuBackend({ mode, minFlops: 0 }, cpuBackend);
      const { kernelClass, renderer } = gpu.describe();
      list.push({ label: mode, backend: gpu, kernelClass: renderer ? `${kernelClass} on ${renderer}` : kernelClass });
    } catch (error) {
      list.push({ label: mode, backend: null, kernelClass: `unavailable: ${(error as Error).message}` });
    }
  }
  return list;
}

/** Times every problem on every backend, reporting each row as it is measured. */
export async function runKernelBench(onRow: (row: KernelTiming) => void, timeMs = 150): Promise<void> {
  const problems = benchProblems();
  for (const { label, backend, kernelClass } of await backends()) {
    for (const problem of problems) {
      if (backend === null) {
        onRow({
          backend: label,
          kernelClass,
          problem: problem.name,
          flops: problem.flops,
          firstMs: 0,
          meanMs: 0,
          gflops: 0,
        });
        continue;
      }
      const started = performance.now();
      problem.run(backend);
      const firstMs = performance.now() - started;
      const bench = new Bench({ time: timeMs, iterations: 3, warmup: false, throws: true });
      bench.add(problem.name, () => problem.run(backend));
      const [task] = bench.runSync();
      const result = task?.result;
      const meanMs = result && 'latency' in result ? result.latency.mean : firstMs;
      onRow({
        backend: label,
        kernelClass,
        problem: problem.name,
        flops: problem.flops,
        firstMs,
        meanMs,
        gflops: problem.flops / meanMs / 1e6,
      });
      // Let the page's messages out between problems.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
}
