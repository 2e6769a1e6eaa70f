import type { Storage } from '../../tensor/dtype.js';
import type { SimdKernels } from '../simd/simd-gemm.js';

/**
 * Per-thread state of the kernels: scratch arrays, grown on demand and reused across calls (no
 * allocation per call), and the thread's WebAssembly SIMD kernels while SIMD is on (else null).
 */
export interface Workspace {
  arrays: Record<string, Storage>;
  simd: SimdKernels | null;
}

/** A fresh, empty workspace for one thread. */
export function newWorkspace(): Workspace {
  return { arrays: {}, simd: null };
}

/** A scratch array of at least `size` elements from the thread's workspace (float64 when asked). */
export function scratchArray(workspace: Workspace, key: string, size: number, float64: boolean): Storage {
  const slot = float64 ? `${key}:f64` : `${key}:f32`;
  let array = workspace.arrays[slot];
  if (array === undefined || array.length < size) {
    array = float64 ? new Float64Array(size) : new Float32Array(size);
    workspace.arrays[slot] = array;
  }
  return array;
}
