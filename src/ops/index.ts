/** Differentiable ops: each file holds one concept's forward and backward. */
import './tensor-methods.js';
import './shape-methods.js';

export { add, div, mul, neg, sub } from './arithmetic.js';
export { type BatchNormOptions, batchNorm } from './batch-norm.js';
export { cat, stack } from './concat.js';
export { type Conv2dGeometryOptions, type Conv2dOptions, conv2d, conv2dGeometry, type Size2d } from './conv2d.js';
export { expand } from './expand.js';
export { gather } from './gather.js';
export { indexSelect } from './index-select.js';
export { type Indices, toIndexArray } from './indices.js';
export { matmul } from './matmul.js';
export { oneHot } from './one-hot.js';
export type { Operand } from './operand.js';
export { permute, transpose } from './permute.js';
export { flatten, reshape, squeeze, unsqueeze, view } from './reshape.js';
export { scatter } from './scatter.js';
export { slice } from './slice.js';
