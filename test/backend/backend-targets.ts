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

/** The CPU backend with its float32 GEMMs on WebAssembly SIMD or on the scalar TypeScript path. */
function cpuTargetWith(simd: boolean): BackendTarget {
  return {
    label: simd ? 'cpu backend' : 'cpu backend, scalar GEMM',
    unavailable: simd ? cpuSimdProblem() : null,
    create: () => {
      setCpuSimd(simd);
      return cpuBackend;
    },
    kernelClass: () => cpuBackend.describe().kernelClass,
    reference: definitionBackend,
    propertyRuns: 40,
  };
}

/** The CPU backend (float32 GEMMs on WebAssembly SIMD), checked against the definitional kernels. */
export const cpuTarget = cpuTargetWith(true);

/** The CPU backend with SIMD off: the scalar TypeScript GEMM that stays the readable reference path. */
export const cpuScalarTarget = cpuTargetWith(false);

/** A gpu.js target; everything runs on gpu.js (crossover 0), checked against the CPU backend. */
export function gpuTarget(mode: GpuMode): BackendTarget {
  let unavailable: string | null = null;
  if (mode === 'headlessgl') unavailable = headlessGlProblem();
  return {
    label: `gpu.js mode '${mode}'`,
    unavailable,
    create: () => new GpuBackend({ mode, minFlops: 0 }, cpuBackend),
    kernelClass: (backend) => (backend as GpuBackend).describe().kernelClass,
    reference: cpuBackend,
    propertyRuns: mode === 'headlessgl' ? 10 : 25,
  };
}
