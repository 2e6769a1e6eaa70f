import type { KernelBackend } from '../../kernels.js';
import { conv2dBackwardInputReference, conv2dBackwardWeightReference, conv2dForwardReference } from './conv2d.js';
import { matmulReference } from './matmul.js';

export { conv2dBackwardInputReference, conv2dBackwardWeightReference, conv2dForwardReference } from './conv2d.js';
export { matmulReference } from './matmul.js';

/**
 * The plain-loop CPU kernels as a backend: the reference the optimised CPU kernels (and the GPU
 * kernels) are tested against, and the "before" column of the CPU kernel benchmarks.
 */
export const referenceCpuBackend: KernelBackend = {
  name: 'cpu-reference',
  matmul: matmulReference,
  conv2dForward: conv2dForwardReference,
  conv2dBackwardInput: conv2dBackwardInputReference,
  conv2dBackwardWeight: conv2dBackwardWeightReference,
};
