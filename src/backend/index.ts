/** Kernel backends and their selection ('cpu' and the gpu.js backend 'gpu', registered in registry.ts). */

export {
  type CpuThreadPoolInfo,
  cpuThreadPoolInfo,
  getCpuThreads,
  referenceCpuBackend,
  setCpuThreads,
  startCpuThreads,
} from './cpu/index.js';
export {
  defaultMinFlops,
  GpuBackend,
  type GpuBackendOptions,
  type GpuJsModule,
  type GpuMode,
  gpuModes,
  startWebGpu,
  stopWebGpu,
  useGpuJs,
  type WebGpuAdapterInfo,
  webGpuAdapter,
} from './gpu/index.js';
export type {
  BackendDescription,
  BackendFactory,
  BackendInfo,
  BackendOptions,
  BatchNormBackwardProblem,
  BatchNormForwardProblem,
  CompleteBackend,
  Conv2dGeometry,
  DescribedBackend,
  KernelBackend,
  KernelName,
  Kernels,
  MatmulProblem,
  PreluBackwardProblem,
  PreluProblem,
  RequiredKernel,
} from './kernels.js';
export { availableBackends, backendInfo, getBackend, registerBackend, runKernel, setBackend } from './registry.js';
export { cpuSimdProblem, getCpuSimd, setCpuSimd } from './simd/index.js';
