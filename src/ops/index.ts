/** Differentiable ops: each file holds one concept's forward and backward. */
import './tensor-methods.js';

export { add, div, mul, neg, sub } from './arithmetic.js';
export { type BatchNormOptions, batchNorm } from './batch-norm.js';
export { type Conv2dGeometryOptions, type Conv2dOptions, conv2d, conv2dGeometry, type Size2d } from './conv2d.js';
export { matmul } from './matmul.js';
export type { Operand } from './operand.js';
