import { record } from '../tensor/autograd.js';
import { allocate, type DType } from '../tensor/dtype.js';
import { shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { broadcastBinary, mapUnary, sumToShape } from './broadcast.js';
import { type Operand, operands, resultDType } from './operand.js';

/** a + b with broadcasting. d/da = 1, d/db = 1, each summed back to its operand's shape. */
export function add(a: Operand, b: Operand): Tensor {
  const [x, y] = operands('add', a, b);
  const dtype = resultDType(x, y);
  const out = shapesEqual(x.shape, y.shape)
    ? sameShapeSum(x, y, dtype)
    : broadcastBinary('add', x, y, dtype, (p, q) => p + q);
  // Same shapes: both inputs get g itself, uncopied (tensors are immutable).
  return record('add', [x, y], out, (g) => [
    x.requiresGrad ? sumToShape(g, x.shape) : null,
    y.requiresGrad ? sumToShape(g, y.shape) : null,
  ]);
}

/** a - b with broadcasting. d/da = 1, d/db = -1. */
export function sub(a: Operand, b: Operand): Tensor {
  const [x, y] = operands('sub', a, b);
  const out = broadcastBinary('sub', x, y, resultDType(x, y), (p, q) => p - q);
  return record('sub', [x, y], out, (g) => [sumToShape(g, x.shape), sumToShape(neg(g), y.shape)]);
}

/** a * b with broadcasting. d/da = b, d/db = a. */
export function mul(a: Operand, b: Operand): Tensor {
  const [x, y] = operands('mul', a, b);
  const dtype = resultDType(x, y);
  const out = shapesEqual(x.shape, y.shape)
    ? sameShapeProduct(x, y, dtype)
    : broadcastBinary('mul', x, y, dtype, (p, q) => p * q);
  return record('mul', [x, y], out, (g) => [
    x.requiresGrad ? sumToShape(mul(g, y), x.shape) : null,
    y.requiresGrad ? sumToShape(mul(g, x), y.shape) : null,
  ]);
}

/** a / b with broadcasting. d/da = 1/b, d/db = -a/b^2. */
export function div(a: Operand, b: Operand): Tensor {
  const [x, y] = operands('div', a, b);
  const out = broadcastBinary('div', x, y, resultDType(x, y), (p, q) => p / q);
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

// The same-shape loops of add and mul are written out rather than passed to broadcastBinary as a
// closure: that call site sees every elementwise op's closure, so V8 cannot inline it, and a call
// per element costs more than the addition (the residual add of every DepthWiseRes block).
function sameShapeSum(x: Tensor, y: Tensor, dtype: DType): Tensor {
  const xd = x.data;
  const yd = y.data;
  const out = allocate(dtype, xd.length);
  for (let i = 0; i < out.length; i++) out[i] = xd[i] + yd[i];
  return new Tensor(out, x.shape);
}

function sameShapeProduct(x: Tensor, y: Tensor, dtype: DType): Tensor {
  const xd = x.data;
  const yd = y.data;
  const out = allocate(dtype, xd.length);
  for (let i = 0; i < out.length; i++) out[i] = xd[i] * yd[i];
  return new Tensor(out, x.shape);
}
