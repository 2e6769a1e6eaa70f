/** The gpu.js kernel backend (registered as 'gpu' by ./register.js). */
export { defaultMinFlops, GpuBackend, type GpuBackendOptions } from './gpu-backend.js';
export { type GpuJsModule, type GpuMode, gpuModes, useGpuJs } from './gpujs.js';
export { startWebGpu, stopWebGpu, type WebGpuAdapterInfo, webGpuAdapter } from './webgpu-bridge.js';
