import type { BackendDescription } from './kernels.js';

/** BackendInfo of a backend that runs on the host (no modes, no compiled kernels, calls not counted). */
export function hostBackendInfo(name: string, kernelClass: string): BackendDescription {
  return {
    name,
    mode: null,
    kernelClass,
    fallbackReason: null,
    renderer: null,
    minFlops: 0,
    calls: {},
    compiledKernels: 0,
    cachedKernels: 0,
    summary: `${kernelClass}; calls are not counted`,
  };
}
