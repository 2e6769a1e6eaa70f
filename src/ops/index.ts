/** Differentiable ops: each file holds one concept's forward and backward. */
import './tensor-methods.js';

export { add, div, mul, neg, sub } from './arithmetic.js';
export { matmul } from './matmul.js';
export type { Operand } from './operand.js';
