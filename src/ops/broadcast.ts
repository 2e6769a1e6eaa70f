import { allocate, type DType } from '../tensor/dtype.js';
import { broadcastShapes, broadcastStrides, shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Broadcasting machinery shared by every elementwise op: a forward that walks two operands under
 * NumPy broadcasting, and `sumToShape`, which reduces a gradient back to an operand's shape.
 */

/** Elementwise f(a, b) under broadcasting; a fast path skips index arithmetic for equal shapes. */
export function broadcastBinary(
  op: string,
  a: Tensor,
  b: Tensor,
  dtype: DType,
  f: (x: number, y: number) => number,
): Tensor {
  const ad = a.data;
  const bd = b.data;
  if (shapesEqual(a.shape, b.shape)) {
    const out = allocate(dtype, ad.length);
    for (let i = 0; i < out.length; i++) out[i] = f(ad[i], bd[i]);
    return new Tensor(out, a.shape);
  }
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = allocate(dtype, sizeOf(shape));
  if (bd.length === 1) {
    const y = bd[0];
    for (let i = 0; i < out.length; i++) out[i] = f(ad[i % ad.length], y);
    return new Tensor(out, shape);
  }
  if (ad.length === 1) {
    const x = ad[0];
    for (let i = 0; i < out.length; i++) out[i] = f(x, bd[i % bd.length]);
    return new Tensor(out, shape);
  }
  const aStrides = broadcastStrides(a.shape, shape);
  const bStrides = broadcastStrides(b.shape, shape);
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  let aOffset = 0;
  let bOffset = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = f(ad[aOffset], bd[bOffset]);
    // Odometer increment: bump the last dimension, carrying into earlier ones.
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      aOffset += aStrides[d];
      bOffset += bStrides[d];
      if (index[d] < shape[d]) break;
      aOffset -= aStrides[d] * shape[d];
      bOffset -= bStrides[d] * shape[d];
      index[d] = 0;
    }
  }
  return new Tensor(out, shape);
}

/** Sums `grad` over the dimensions that broadcasting expanded, giving a tensor of `shape`. */
export function sumToShape(grad: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(grad.shape, shape)) return grad;
  const out = allocate(grad.dtype, sizeOf(shape));
  const targetStrides = broadcastStrides(shape, grad.shape);
  const rank = grad.shape.length;
  const index = new Array<number>(rank).fill(0);
  let offset = 0;
  const gd = grad.data;
  for (let i = 0; i < gd.length; i++) {
    out[offset] += gd[i];
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      offset += targetStrides[d];
      if (index[d] < grad.shape[d]) break;
      offset -= targetStrides[d] * grad.shape[d];
      index[d] = 0;
    }
  }
  return new Tensor(out, shape);
}

/** Elementwise f(x) into new storage of the same shape. */
export function mapUnary(x: Tensor, f: (v: number) => number): Tensor {
  const xd = x.data;
  const out = allocate(x.dtype, xd.length);
  for (let i = 0; i < out.length; i++) out[i] = f(xd[i]);
  return new Tensor(out, x.shape);
}

/** Materialises `x` broadcast to `shape` (no graph recording; the expand op wraps this). */
export function broadcastTo(op: string, x: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const target = broadcastShapes(op, x.shape, shape);
  if (!shapesEqual(target, shape)) {
    throw new Error(`${op}: cannot broadcast shape [${x.shape.join(', ')}] to [${shape.join(', ')}]`);
  }
  const strides = broadcastStrides(x.shape, shape);
  const out = allocate(x.dtype, sizeOf(shape));
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  let offset = 0;
  const xd = x.data;
  for (let i = 0; i < out.length; i++) {
    out[i] = xd[offset];
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      offset += strides[d];
      if (index[d] < shape[d]) break;
      offset -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
  return new Tensor(out, shape);
}
