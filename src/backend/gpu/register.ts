import { environmentVariables } from '../environment.js';
import type { BackendOptions, CompleteBackend } from '../kernels.js';
import { GpuBackend, type GpuBackendOptions } from './gpu-backend.js';
import type { GpuMode } from './gpujs.js';

/**
 * Reads gpu backend options, falling back to the environment for those not given:
 * ARCGRAD_GPU_MODE (a gpu.js mode, checked by the GpuBackend constructor) and ARCGRAD_GPU_MIN_FLOPS
 * (the CPU crossover).
 */
export function gpuOptionsFrom(
  options: BackendOptions,
  env: Readonly<Record<string, string | undefined>> = environmentVariables(),
): GpuBackendOptions {
  const mode = options.mode ?? env.ARCGRAD_GPU_MODE;
  let minFlops = options.minFlops;
  if (minFlops === undefined && env.ARCGRAD_GPU_MIN_FLOPS !== undefined) {
    minFlops = Number(env.ARCGRAD_GPU_MIN_FLOPS);
    if (!Number.isFinite(minFlops) || minFlops < 0) {
      throw new Error(`ARCGRAD_GPU_MIN_FLOPS: expected a number >= 0, got '${env.ARCGRAD_GPU_MIN_FLOPS}'`);
    }
  }
  return {
    mode: mode as GpuMode | undefined,
    minFlops,
    kernelCacheSize: options.kernelCacheSize,
    kernelCacheElements: options.kernelCacheElements,
  };
}

/**
 * The factory registered as 'gpu': gpu.js itself loads inside the GpuBackend constructor, which
 * also validates the mode (the one place that does).
 */
export function createGpuBackend(options: BackendOptions, fallback: CompleteBackend): GpuBackend {
  return new GpuBackend(gpuOptionsFrom(options), fallback);
}
