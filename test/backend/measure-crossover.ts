/**
 * Measures where gpu.js starts beating the CPU backend, for the crossover default (minFlops) of
 * the gpu backend. Not a test (speed is never asserted); run it on the machine in question:
 *   xvfb-run -a npx tsx test/backend/measure-crossover.ts [gpu.js mode, default 'gpu']
 * Prints, per problem, FLOPs, the first call (compile + run), steady-state medians of the CPU
 * backend and of gpu.js, and the smallest FLOP count above which gpu.js won every problem.
 */
import { cpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import { GpuBackend } from '../../src/backend/gpu/gpu-backend.js';
import type { GpuMode } from '../../src/backend/gpu/gpujs.js';
import type { KernelBackend } from '../../src/backend/kernels.js';
import { faceMobileNetConvs } from './face-mobilenet-shapes.js';
import { convCases, type KernelCase, matmulCase } from './kernel-problems.js';

const mode = (process.argv[2] ?? 'gpu') as GpuMode;
const gpu = new GpuBackend({ mode, minFlops: 0 }, cpuBackend);
const identity = (d: Float32Array) => d;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(backend: KernelBackend, kernelCase: KernelCase, reps: number): number {
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    kernelCase.run(backend, identity);
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const problems: { label: string; flops: number; kernelCase: KernelCase }[] = [];
for (const size of [16, 32, 64, 128, 256, 512]) {
  problems.push({
    label: `matmul ${size}^3`,
    flops: 2 * size ** 3,
    kernelCase: matmulCase({
      batch: 1,
      m: size,
      k: size,
      n: size,
      transposeA: false,
      transposeB: false,
      broadcastA: false,
      broadcastB: false,
      seed: 1,
    }),
  });
}
for (const { name, geometry: g } of faceMobileNetConvs(1)) {
  const flops =
    2 * g.batch * g.outChannels * g.outHeight * g.outWidth * (g.inChannels / g.groups) * g.kernelHeight * g.kernelWidth;
  const [forward, backwardInput, backwardWeight] = convCases(g, 1);
  problems.push({ label: `${name} forward`, flops, kernelCase: forward });
  problems.push({ label: `${name} dX`, flops, kernelCase: backwardInput });
  problems.push({ label: `${name} dW`, flops, kernelCase: backwardWeight });
}

console.log(`gpu.js: ${gpu.describe().summary}`);
console.log('problem | MFLOP | first gpu call ms | cpu ms | gpu ms | faster');
const results: { flops: number; gpuWins: boolean }[] = [];
for (const { label, flops, kernelCase } of problems) {
  const firstStart = performance.now();
  kernelCase.run(gpu, identity);
  const first = performance.now() - firstStart;
  time(cpuBackend, kernelCase, 1);
  const cpuMs = time(cpuBackend, kernelCase, 5);
  const gpuMs = time(gpu, kernelCase, 5);
  results.push({ flops, gpuWins: gpuMs < cpuMs });
  console.log(
    `${label} | ${(flops / 1e6).toFixed(2)} | ${first.toFixed(0)} | ${cpuMs.toFixed(2)} | ${gpuMs.toFixed(2)} | ${gpuMs < cpuMs ? 'gpu.js' : 'cpu'}`,
  );
}
const losses = results.filter((r) => !r.gpuWins).map((r) => r.flops);
const crossover = losses.length === 0 ? 0 : Math.max(...losses) * (1 + 1e-9);
const above = results.filter((r) => r.flops > crossover);
console.log(
  above.length === 0
    ? `crossover: gpu.js (${gpu.describe().kernelClass}) never won above the measured sizes: keep everything on the CPU`
    : `crossover: gpu.js (${gpu.describe().kernelClass}) won every problem above ${crossover.toExponential(2)} FLOPs (${above.length} problems)`,
);
console.log(gpu.describe().summary);
await gpu.dispose();
