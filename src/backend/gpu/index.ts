/** The gpu.js kernel backend (registered as 'gpu' by ./register.js). */
export { defaultMinFlops, GpuBackend, type GpuBackendOptions } from './gpu-backend.js';
export { type GpuMode, gpuModes } from './gpujs.js';
