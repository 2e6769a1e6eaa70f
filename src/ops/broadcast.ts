import type { BinaryOp } from '../backend/kernels.js';
import { runKernel } from '../backend/registry.js';
import { allocate, type DType } from '../tensor/dtype.js';
import { broadcastShapes, broadcastStrides, shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Broadcasting shared by every elementwise op: the arithmetic kernel under NumPy broadcasting,
 * the same walk for any other f, and `sumToShape`, which reduces a gradient back to an operand's
 * shape.
 */

/** a op b (add, sub, mul, div) under broadcasting, by the `binary` kernel. */
export function arithmetic(op: BinaryOp, a: Tensor, b: Tensor, dtype: DType): Tensor {
  const shape = shapesEqual(a.shape, b.shape) ? a.shape : broadcastShapes(op, a.shape, b.shape);
  const out = allocate(dtype, sizeOf(shape));
  runKernel('binary', { op, a: a.data, aShape: a.shape, b: b.data, bShape: b.shape, out, outShape: shape });
  return new Tensor(out, shape);
}

/**
 * Elementwise f(a, b) under broadcasting, for ops without a kernel (comparisons, activations'
 * gradients). Operands of other shapes are first broadcast into full copies.
 */
export function broadcastBinary(
  op: string,
  a: Tensor,
  b: Tensor,
  dtype: DType,
  f: (x: number, y: number) => number,
): Tensor {
  if (!shapesEqual(a.shape, b.shape)) {
    const shape = broadcastShapes(op, a.shape, b.shape);
    return broadcastBinary(op, broadcastTo(op, a, shape), broadcastTo(op, b, shape), dtype, f);
  }
  const ad = a.data;
  const bd = b.data;
  const out = allocate(dtype, ad.length);
  for (let i = 0; i < out.length; i++) out[i] = f(ad[i], bd[i]);
  return new Tensor(out, a.shape);
}

/** Sums `grad` over the dimensions that broadcasting expanded, giving a tensor of `shape`. */
export function sumToShape(grad: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(grad.shape, shape)) return grad;
  const out = allocate(grad.dtype, sizeOf(shape));
  runKernel('sumToShape', { x: grad.data, xShape: grad.shape, out, outShape: shape });
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
