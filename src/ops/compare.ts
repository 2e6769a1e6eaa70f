import type { Tensor } from '../tensor/tensor.js';
import { broadcastBinary } from './broadcast.js';
import { type Operand, operands, resultDType } from './operand.js';

/**
 * Elementwise comparisons with broadcasting. They return 1/0 float tensors (there is no bool
 * dtype) that are not part of the graph: a step function has no useful gradient.
 */

function compare(op: string, a: Operand, b: Operand, test: (p: number, q: number) => boolean): Tensor {
  const [x, y] = operands(op, a, b);
  return broadcastBinary(op, x, y, resultDType(x, y), (p, q) => (test(p, q) ? 1 : 0));
}

/** 1 where a > b, else 0. */
export function gt(a: Operand, b: Operand): Tensor {
  return compare('gt', a, b, (p, q) => p > q);
}

/** 1 where a >= b, else 0. */
export function ge(a: Operand, b: Operand): Tensor {
  return compare('ge', a, b, (p, q) => p >= q);
}

/** 1 where a < b, else 0. */
export function lt(a: Operand, b: Operand): Tensor {
  return compare('lt', a, b, (p, q) => p < q);
}

/** 1 where a <= b, else 0. */
export function le(a: Operand, b: Operand): Tensor {
  return compare('le', a, b, (p, q) => p <= q);
}

/** 1 where a == b, else 0 (NaN equals nothing, as in IEEE 754). */
export function eq(a: Operand, b: Operand): Tensor {
  return compare('eq', a, b, (p, q) => p === q);
}

/** 1 where a != b, else 0 (NaN differs from everything). */
export function ne(a: Operand, b: Operand): Tensor {
  return compare('ne', a, b, (p, q) => p !== q);
}
