import type { BackendDescription } from './kernels.js';

/** What a backend that runs on the host says of itself (no modes, no compiled kernels; backendInfo().kernels counts its calls). */
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
    summary: kernelClass,
  };
}
