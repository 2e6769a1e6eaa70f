import { cpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import { GpuBackend } from '../../src/backend/gpu/gpu-backend.js';
import { type GpuMode, headlessGlProblem } from '../../src/backend/gpu/gpujs.js';
import type { KernelBackend } from '../../src/backend/kernels.js';
import { cpuSimdProblem, setCpuSimd } from '../../src/backend/simd/simd-switch.js';
import { definitionBackend } from './definitions.js';

/** A backend the shared kernel suite runs against, or the reason it cannot run here. */
export interface BackendTarget {
  /** What was asked for, e.g. "gpu.js mode 'headlessgl'". */
  label: string;
  /** Null when available; otherwise why the suite skips it (printed). */
  unavailable: string | null;
  /** The backend under test (only called when available). */
  create(): KernelBackend;
  /** The class that runs the kernels, read from the created backend. */
  kernelClass(backend: KernelBackend): string;
  /** Expected values come from this backend run in float64. */
  reference: KernelBackend;
  /** gpu.js targets are slow to compile on llvmpipe: fewer property runs there. */
  propertyRuns: number;
}

/** The CPU backend (float32 GEMMs on WebAssembly SIMD), checked against the definitional kernels. */
export const cpuTarget: BackendTarget = {
  label: 'cpu backend',
  unavailable: cpuSimdProblem(),
  create: () => {
    setCpuSimd(true);
    return cpuBackend;
  },
  kernelClass: () => cpuBackend.describe().kernelClass,
  reference: definitionBackend,
  propertyRuns: 40,
};

/** The CPU backend with SIMD off: the scalar TypeScript GEMM that stays the readable reference path. */
export const cpuScalarTarget: BackendTarget = {
  label: 'cpu backend, scalar GEMM',
  unavailable: null,
  create: () => {
    setCpuSimd(false);
    return cpuBackend;
  },
  kernelClass: () => cpuBackend.describe().kernelClass,
  reference: definitionBackend,
  propertyRuns: 40,
};

/** A gpu.js target; everything runs on gpu.js (crossover 0), checked against the CPU backend. */
export function gpuTarget(mode: GpuMode): BackendTarget {
  let unavailable: string | null = null;
  if (mode === 'headlessgl') unavailable = headlessGlProblem();
  return {
    label: `gpu.js mode '${mode}'`,
    unavailable,
    create: () => new GpuBackend({ mode, minFlops: 0 }),
    kernelClass: (backend) => (backend as GpuBackend).describe().kernelClass,
    reference: cpuBackend,
    propertyRuns: mode === 'headlessgl' ? 10 : 25,
  };
}
