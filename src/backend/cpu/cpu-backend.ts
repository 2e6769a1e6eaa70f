import type { KernelBackend } from '../kernels.js';
import { conv2dBackwardInputCpu, conv2dBackwardWeightCpu, conv2dForwardCpu } from './conv2d.js';
import { matmulCpu } from './matmul.js';

/** The plain-TypeScript backend: the reference every other backend is tested against. */
export const cpuBackend: KernelBackend = {
  name: 'cpu',
  matmul: matmulCpu,
  conv2dForward: conv2dForwardCpu,
  conv2dBackwardInput: conv2dBackwardInputCpu,
  conv2dBackwardWeight: conv2dBackwardWeightCpu,
};
