import { cpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import { cpuThreadPoolInfo } from '../../src/backend/cpu/index.js';
import { GpuBackend, type GpuMode, type KernelBackend } from '../../src/backend/index.js';
import { type CaseInputs, firstLine, type KernelContender, type PreparedKernel } from './kernel-suite.js';
import type { KernelCase } from './workloads.js';

/** Runs one case on an arcgrad kernel backend, writing into an output buffer allocated once. */
function prepareOn(kernels: KernelBackend, problem: KernelCase, inputs: CaseInputs): () => Float32Array {
  const out = new Float32Array(inputs.outputLength);
  const { first, second } = inputs;
  if (problem.kind === 'matmul') {
    const { m, k, n, transposeA, transposeB } = problem;
    const matmul = {
      a: first,
      b: second,
      out,
      batch: 1,
      m,
      k,
      n,
      transposeA,
      transposeB,
      aBatchStride: 0,
      bBatchStride: 0,
    };
    return () => {
      kernels.matmul(matmul);
      return out;
    };
  }
  const g = problem.geometry;
  if (problem.pass === 'forward') {
    return () => {
      kernels.conv2dForward(first, second, out, g);
      return out;
    };
  }
  if (problem.pass === 'gradInput') {
    return () => {
      kernels.conv2dBackwardInput(first, second, out, g);
      return out;
    };
  }
  return () => {
    kernels.conv2dBackwardWeight(first, second, out, g);
    return out;
  };
}

/** arcgrad's CPU backend (the reference row of every case). */
export function cpuContender(kernels: KernelBackend): KernelContender {
  return {
    engine: 'arcgrad',
    backend: 'cpu',
    slow: false,
    prepare(problem, inputs): PreparedKernel {
      const run = prepareOn(kernels, problem, inputs);
      let out: Float32Array | null = null;
      return {
        run: () => {
          out = run();
        },
        output: () => out ?? new Float32Array(0),
        kernelClass: () => {
          const pool = cpuThreadPoolInfo();
          return `TypeScript kernels, ${pool.threads} thread${pool.threads === 1 ? '' : 's'}${pool.problem ? ` (pool off: ${pool.problem})` : ''}`;
        },
      };
    },
  };
}

/** A gpu.js backend in one mode, or why it cannot run here. */
export function openGpuBackend(mode: GpuMode): GpuBackend | { skip: string } {
  try {
    // minFlops 0: every float32 problem runs on gpu.js, so the crossover can be measured rather than assumed.
    return new GpuBackend({ mode, minFlops: 0 }, cpuBackend);
  } catch (error) {
    return { skip: firstLine(error) };
  }
}

/** Kernel calls per class since a snapshot of backendInfo's counters. */
function callsSince(backend: GpuBackend, before: Readonly<Record<string, number>>): string {
  const after = backend.describe().calls;
  const ran = Object.entries(after)
    .filter(([kernelClass, count]) => count > (before[kernelClass] ?? 0))
    .map(([kernelClass]) => kernelClass);
  return ran.join(' + ') || 'nothing counted';
}

/** A gpu.js backend as a contender; the kernel class comes from its backendInfo counters. */
export function gpuContender(mode: GpuMode, backend: GpuBackend): KernelContender {
  const info = backend.describe();
  const name = `gpu.js ${mode}`;
  return {
    engine: 'arcgrad',
    backend: name,
    slow: true,
    prepare(problem, inputs): PreparedKernel {
      const run = prepareOn(backend, problem, inputs);
      const before = { ...backend.describe().calls };
      let out: Float32Array | null = null;
      return {
        run: () => {
          out = run();
        },
        output: () => out ?? new Float32Array(0),
        kernelClass: () =>
          `${callsSince(backend, before)}${info.renderer ? ` on ${info.renderer.split(' (')[0]}` : ''}`,
      };
    },
  };
}
