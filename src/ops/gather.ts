import { record } from '../tensor/autograd.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape, normalizeDim, stridesOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { toIndexArray } from './indices.js';
import { assertTensor } from './shape-arguments.js';
import { stridedOffsets } from './strided.js';

/**
 * For each element of `index`, the flat offset into a tensor of `shape` that torch.gather and
 * torch.scatter address: the element's own position, except along `dim`, where its value is used.
 * Validates index against shape (same rank; no larger outside dim; values in [0, shape[dim])).
 */
export function indexedOffsets(
  op: string,
  shape: readonly number[],
  argument: string,
  dim: number,
  index: Tensor,
): { dim: number; offsets: Int32Array } {
  assertTensor(op, 'index', index);
  if (shape.length === 0) throw new Error(`${op}: ${argument} is zero-dimensional; ${op} needs a tensor of rank >= 1`);
  const d = normalizeDim(op, dim, shape.length);
  if (index.ndim !== shape.length) {
    throw new Error(
      `${op}: index has rank ${index.ndim} (shape ${formatShape(index.shape)}) but ${argument} has rank ${shape.length} (shape ${formatShape(shape)})`,
    );
  }
  index.shape.forEach((size, k) => {
    if (k !== d && size > shape[k]) {
      throw new Error(
        `${op}: index has shape ${formatShape(index.shape)} but ${argument} has shape ${formatShape(shape)}; ` +
          `index may not be larger than ${argument} in dim ${k} (any dim but ${d})`,
      );
    }
  });
  const values = toIndexArray(op, 'index', index, shape[d], `dim ${d} of size ${shape[d]}`);
  const strides = stridesOf(shape);
  const dimStride = strides[d];
  // Walk index's shape with the target's strides, skipping dim, whose coordinate comes from the value.
  const offsets = stridedOffsets(
    index.shape,
    strides.map((s, k) => (k === d ? 0 : s)),
  );
  for (let i = 0; i < offsets.length; i++) offsets[i] += values[i] * dimStride;
  return { dim: d, offsets };
}

/**
 * torch.gather: out[i][j][k] = x[i][index[i][j][k]][k] for dim = 1, and likewise for any dim.
 * The output has index's shape. Backward adds each gradient element back to where it was read.
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  assertTensor('gather', 'x', x);
  const { offsets } = indexedOffsets('gather', x.shape, 'x', dim, index);
  const source = x.data;
  const out = allocate(x.dtype, offsets.length);
  for (let i = 0; i < offsets.length; i++) out[i] = source[offsets[i]];
  return record('gather', [x], new Tensor(out, index.shape), (g) => {
    const grad = allocate(g.dtype, x.size);
    const gd = g.data;
    for (let i = 0; i < offsets.length; i++) grad[offsets[i]] += gd[i];
    return [new Tensor(grad, x.shape)];
  });
}
