import { record } from '../tensor/autograd.js';
import type { Tensor } from '../tensor/tensor.js';
import { arithmetic, mapUnary, sumToShape } from './broadcast.js';
import { type Operand, operands, resultDType } from './operand.js';

/** a + b with broadcasting. d/da = 1, d/db = 1, each summed back to its operand's shape. */
export function add(a: Operand, b: Operand): Tensor {
  const [x, y] = operands('add', a, b);
  const dtype = resultDType(x, y);
  const out = arithmetic('add', x, y, dtype);
  // Same shapes: both inputs get g itself, uncopied (tensors are immutable).
  return record('add', [x, y], out, (g) => [
    x.requiresGrad ? sumToShape(g, x.shape) : null,
    y.requiresGrad ? sumToShape(g, y.shape) : null,
  ]);
}

/** a - b with broadcasting. d/da = 1, d/db = -1. */
export function sub(a: Operand, b: Operand): Tensor {
  const [x, y] = operands('sub', a, b);
  const out = arithmetic('sub', x, y, resultDType(x, y));
  return record('sub', [x, y], out, (g) => [sumToShape(g, x.shape), sumToShape(neg(g), y.shape)]);
}

/** a * b with broadcasting. d/da = b, d/db = a. */
export function mul(a: Operand, b: Operand): Tensor {
  const [x, y] = operands('mul', a, b);
  const dtype = resultDType(x, y);
  const out = arithmetic('mul', x, y, dtype);
  return record('mul', [x, y], out, (g) => [
    x.requiresGrad ? sumToShape(mul(g, y), x.shape) : null,
    y.requiresGrad ? sumToShape(mul(g, x), y.shape) : null,
  ]);
}

/** a / b with broadcasting. d/da = 1/b, d/db = -a/b^2. */
export function div(a: Operand, b: Operand): Tensor {
  const [x, y] = operands('div', a, b);
  const out = arithmetic('div', x, y, resultDType(x, y));
  return record('div', [x, y], out, (g) => [
    x.requiresGrad ? sumToShape(div(g, y), x.shape) : null,
    y.requiresGrad ? sumToShape(neg(div(mul(g, out), y)), y.shape) : null,
  ]);
}

/** -x. */
export function neg(x: Tensor): Tensor {
  const out = mapUnary(x, (v) => -v);
  return record('neg', [x], out, (g) => [neg(g)]);
}
