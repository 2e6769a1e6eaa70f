/** The CPU backend, its reference kernels, and its thread-pool controls. */
export { cpuBackend } from './cpu-backend.js';
export {
  conv2dBackwardInputReference,
  conv2dBackwardWeightReference,
  conv2dForwardReference,
  matmulReference,
  referenceCpuBackend,
} from './reference/index.js';
export {
  type CpuThreadPoolInfo,
  cpuThreadPoolInfo,
  getCpuThreads,
  setCpuThreads,
  startCpuThreads,
} from './threads/pool.js';
