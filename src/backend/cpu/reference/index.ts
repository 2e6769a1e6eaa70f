import type { CompleteBackend } from '../../kernels.js';
import { batchNormBackwardReference, batchNormForwardReference } from './batch-norm.js';
import { conv2dBackwardInputReference, conv2dBackwardWeightReference, conv2dForwardReference } from './conv2d.js';
import { binaryReference, sumToShapeReference } from './elementwise.js';
import { matmulReference } from './matmul.js';
import { preluBackwardReference, preluReference } from './prelu.js';

export { batchNormBackwardReference, batchNormForwardReference, channelScaleShift } from './batch-norm.js';
export { conv2dBackwardInputReference, conv2dBackwardWeightReference, conv2dForwardReference } from './conv2d.js';
export { binaryReference, sumToShapeReference } from './elementwise.js';
export { matmulReference } from './matmul.js';
export { preluBackwardReference, preluReference } from './prelu.js';

/**
 * The plain-loop CPU kernels as a backend: the reference the optimised CPU kernels (and the GPU
 * kernels) are tested against, the kernels that run where a backend has none of its own, and the
 * "before" column of the CPU kernel benchmarks.
 */
export const referenceCpuBackend: CompleteBackend = {
  name: 'cpu-reference',
  matmul: matmulReference,
  conv2dForward: conv2dForwardReference,
  conv2dBackwardInput: conv2dBackwardInputReference,
  conv2dBackwardWeight: conv2dBackwardWeightReference,
  batchNormForward: batchNormForwardReference,
  batchNormBackward: batchNormBackwardReference,
  prelu: preluReference,
  preluBackward: preluBackwardReference,
  binary: binaryReference,
  sumToShape: sumToShapeReference,
};
