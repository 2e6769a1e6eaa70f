import type { KernelBackend } from '../kernels.js';
import { conv2dBackwardInputCpu, conv2dBackwardWeightCpu, conv2dForwardCpu } from './conv2d.js';
import { matmulCpu } from './matmul.js';

/**
 * The CPU backend: packed GEMM and shape-specialised convolution kernels spread over a worker-thread
 * pool. The plain loops it replaced stay in reference/ as the oracle every CPU and GPU kernel is
 * tested against.
 */
export const cpuBackend: KernelBackend = {
  name: 'cpu',
  matmul: matmulCpu,
  conv2dForward: conv2dForwardCpu,
  conv2dBackwardInput: conv2dBackwardInputCpu,
  conv2dBackwardWeight: conv2dBackwardWeightCpu,
};
