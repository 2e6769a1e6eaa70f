import { runKernel } from '../backend/registry.js';
import { record } from '../tensor/autograd.js';
import { allocate } from '../tensor/dtype.js';
import { broadcastShapes, formatShape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { broadcastTo, sumToShape } from './broadcast.js';
import { resultDType } from './operand.js';

/**
 * Batched product of the last two dimensions, op(x) @ op(y), where op transposes when asked.
 * Batch dims broadcast; a side whose batch is a single matrix is read with batch stride 0 instead
 * of being copied. Runs on the active kernel backend; records nothing.
 */
export function matmulKernel(x: Tensor, y: Tensor, transposeX: boolean, transposeY: boolean): Tensor {
  const xRows = x.shape[x.ndim - 2];
  const xCols = x.shape[x.ndim - 1];
  const yRows = y.shape[y.ndim - 2];
  const yCols = y.shape[y.ndim - 1];
  const [m, k] = transposeX ? [xCols, xRows] : [xRows, xCols];
  const [k2, n] = transposeY ? [yCols, yRows] : [yRows, yCols];
  if (k !== k2) {
    throw new Error(
      `matmul: inner dimensions differ: a is ${formatShape(x.shape)}${transposeX ? ' (transposed)' : ''}, ` +
        `b is ${formatShape(y.shape)}${transposeY ? ' (transposed)' : ''} (${k} vs ${k2})`,
    );
  }
  const xBatch = x.shape.slice(0, -2);
  const yBatch = y.shape.slice(0, -2);
  const batchShape = broadcastShapes('matmul', xBatch, yBatch);
  const batch = sizeOf(batchShape);
  const outShape = [...batchShape, m, n];
  const xs = sizeOf(xBatch) === 1 ? x : broadcastTo('matmul', x, [...batchShape, xRows, xCols]);
  const ys = sizeOf(yBatch) === 1 ? y : broadcastTo('matmul', y, [...batchShape, yRows, yCols]);
  const dtype = resultDType(x, y);
  const out = allocate(dtype, batch * m * n, `matmul: output shape ${formatShape(outShape)}`);
  // Mixed dtypes compute in the wider one.
  const a = xs.dtype === dtype ? xs.data : xs.detach().clone(dtype).data;
  const b = ys.dtype === dtype ? ys.data : ys.detach().clone(dtype).data;
  runKernel('matmul', {
    a,
    b,
    out,
    batch,
    m,
    k,
    n,
    transposeA: transposeX,
    transposeB: transposeY,
    aBatchStride: sizeOf(xBatch) === 1 ? 0 : m * k,
    bBatchStride: sizeOf(yBatch) === 1 ? 0 : k * n,
  });
  return new Tensor(out, outShape);
}

/**
 * Matrix product like torch.matmul: 1-D operands are promoted to a row (a) or a column (b) and
 * the added dimension is removed afterwards; batch dimensions broadcast.
 * Backward: dA = dC @ B^T, dB = A^T @ dC, each summed over broadcast batch dims.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new Error('matmul: both arguments must be tensors');
  if (a.ndim === 0 || b.ndim === 0) {
    throw new Error(
      `matmul: both arguments need at least 1 dimension, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const x = a.ndim === 1 ? new Tensor(a.data, [1, a.shape[0]]) : a;
  const y = b.ndim === 1 ? new Tensor(b.data, [b.shape[0], 1]) : b;
  const full = matmulKernel(x, y, false, false);
  let outShape = full.shape.slice();
  if (a.ndim === 1) outShape.splice(outShape.length - 2, 1);
  if (b.ndim === 1) outShape = outShape.slice(0, -1);
  const out = new Tensor(full.data, outShape);
  return record('matmul', [a, b], out, (g) => {
    const gradFull = new Tensor(g.data, full.shape);
    const gradX = a.requiresGrad ? sumToShape(matmulKernel(gradFull, y, false, true), x.shape) : null;
    const gradY = b.requiresGrad ? sumToShape(matmulKernel(x, gradFull, true, false), y.shape) : null;
    return [gradX && new Tensor(gradX.data, a.shape), gradY && new Tensor(gradY.data, b.shape)];
  });
}
