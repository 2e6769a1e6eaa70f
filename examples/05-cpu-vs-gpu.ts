/**
 * Example 5: the same float32 convolution on the CPU backend and on the gpu.js backend: equal
 * results, timings, and which gpu.js kernel class really ran.
 * Run: npx tsx examples/05-cpu-vs-gpu.ts                 (no display: gpu.js falls back, said below)
 *      xvfb-run -a npx tsx examples/05-cpu-vs-gpu.ts     (headless-gl: HeadlessGLKernel)
 * Path of a kernel: conv2d (src/ops/conv2d.ts) calls getBackend().conv2dForward; the gpu backend
 * (src/backend/gpu/gpu-backend.ts) compiles a shape-specialised gpu.js kernel (conv2d-forward.ts),
 * which gpu.js translates to a GLSL shader (or WebAssembly) and runs.
 */
import { pathToFileURL } from 'node:url';
import {
  backendInfo,
  conv2d,
  type DescribedBackend,
  Generator,
  getBackend,
  randn,
  setBackend,
  type Tensor,
} from 'arcgrad';

/** Milliseconds of the fastest of `repeats` runs, and the last output. */
function fastest(repeats: number, run: () => Tensor): { ms: number; out: Tensor } {
  let best = { ms: Number.POSITIVE_INFINITY, out: run() };
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    const out = run();
    best = { ms: Math.min(best.ms, performance.now() - start), out };
  }
  return best;
}

/** Runs a [batch, channels, side, side] 3x3 conv on both backends; returns timings, the difference and what ran. */
export async function main({ batch = 4, channels = 32, side = 32, repeats = 3, mode = 'gpu' } = {}) {
  const random = { generator: new Generator(0) };
  const x = randn([batch, channels, side, side], random);
  const w = randn([2 * channels, channels, 3, 3], random);
  const conv = () => conv2d(x, w, { padding: 1 });
  setBackend('cpu');
  const cpu = fastest(repeats, conv);
  let gpuBackend: DescribedBackend;
  try {
    gpuBackend = setBackend('gpu', { mode, minFlops: 0 }) as DescribedBackend; // minFlops 0: no CPU shortcut
  } catch (error) {
    setBackend('cpu');
    return { cpuMs: cpu.ms, unavailable: (error as Error).message };
  }
  try {
    const compileStart = performance.now();
    const first = conv(); // compiles the shape-specialised kernel
    const firstMs = performance.now() - compileStart;
    const gpu = fastest(repeats, conv);
    const info = backendInfo();
    const expected = Array.from(cpu.out.data);
    const gap = (out: Tensor) => expected.reduce((m, v, i) => Math.max(m, Math.abs(out.data[i] - v)), 0);
    const maxDifference = Math.max(gap(first), gap(gpu.out));
    const maxMagnitude = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    return { cpuMs: cpu.ms, gpuFirstMs: firstMs, gpuMs: gpu.ms, maxDifference, maxMagnitude, info, unavailable: null };
  } finally {
    setBackend('cpu');
    if (getBackend() !== gpuBackend) await gpuBackend.dispose?.();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await main();
  console.log(`cpu backend: ${r.cpuMs.toFixed(1)} ms`);
  if (r.unavailable !== null) {
    console.log(`gpu backend unavailable here: ${r.unavailable}`);
  } else {
    console.log(`gpu backend: first call ${r.gpuFirstMs?.toFixed(1)} ms (compiles), then ${r.gpuMs?.toFixed(1)} ms`);
    console.log(
      `max |gpu - cpu| = ${r.maxDifference?.toExponential(2)} on outputs up to ${r.maxMagnitude?.toFixed(1)} (float32)`,
    );
    console.log(`kernel class that ran: ${r.info?.kernelClass}; renderer: ${r.info?.renderer ?? 'none reported'}`);
    console.log(`fallback: ${r.info?.fallbackReason ?? 'none'}; calls per class: ${JSON.stringify(r.info?.calls)}`);
    const software = r.info?.kernelClass !== 'HeadlessGLKernel' || r.info?.renderer !== null;
    if (software)
      console.log(
        'No GPU did this work (software GL or WebAssembly on the CPU), so the timings say nothing about GPUs.',
      );
  }
}
