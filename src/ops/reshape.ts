import { record } from '../tensor/autograd.js';
import { formatShape, normalizeDim, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { assertTensor, normalizeInsertDim } from './shape-arguments.js';

/**
 * Data-free reshaping: reshape, view, flatten, squeeze and unsqueeze. Storage is contiguous
 * row-major and never mutated, so the output shares the input's data and backward only
 * reshapes the gradient back.
 */

/** Resolves a target shape holding at most one -1 against the element count of `from`. */
function resolveShape(op: string, from: readonly number[], shape: readonly number[]): number[] {
  const elements = sizeOf(from);
  let inferred = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === -1) {
      if (inferred !== -1) throw new Error(`${op}: only one dimension can be -1, got ${formatShape(shape)}`);
      inferred = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new Error(`${op}: shape ${formatShape(shape)} must hold non-negative integers or a single -1`);
    } else {
      known *= d;
    }
  }
  const resolved = [...shape];
  if (inferred !== -1) {
    if (known === 0 || elements % known !== 0) {
      throw new Error(
        `${op}: cannot reshape ${formatShape(from)} (${elements} elements) to ${formatShape(shape)}: ` +
          `${elements} is not a multiple of ${known}`,
      );
    }
    resolved[inferred] = elements / known;
  } else if (known !== elements) {
    throw new Error(
      `${op}: cannot reshape ${formatShape(from)} (${elements} elements) to ${formatShape(shape)} (${known} elements)`,
    );
  }
  return resolved;
}

/** Records `x` under a new shape with the same elements; the gradient is reshaped back. */
function reshaped(op: string, x: Tensor, shape: readonly number[]): Tensor {
  const out = new Tensor(x.data, shape);
  return record(op, [x], out, (g) => [new Tensor(g.data, x.shape)]);
}

/** The elements of `x` in row-major order under `shape`; one entry may be -1 (inferred). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor('reshape', 'x', x);
  return reshaped('reshape', x, resolveShape('reshape', x.shape, shape));
}

/** Same as {@link reshape} (storage is always contiguous, so every reshape is a view). */
export function view(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor('view', 'x', x);
  return reshaped('view', x, resolveShape('view', x.shape, shape));
}

/** Merges dims startDim..endDim (inclusive, negative counts from the end) into one, like torch.flatten. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  assertTensor('flatten', 'x', x);
  if (x.ndim === 0) return reshaped('flatten', x, [1]);
  const start = normalizeDim('flatten', startDim, x.ndim);
  const end = normalizeDim('flatten', endDim, x.ndim);
  if (start > end) {
    throw new Error(`flatten: startDim ${startDim} must not come after endDim ${endDim} (rank ${x.ndim})`);
  }
  const merged = sizeOf(x.shape.slice(start, end + 1));
  return reshaped('flatten', x, [...x.shape.slice(0, start), merged, ...x.shape.slice(end + 1)]);
}

/** Removes size-1 dims: all of them, or only `dim` (left unchanged if its size is not 1), like torch.squeeze. */
export function squeeze(x: Tensor, dim?: number): Tensor {
  assertTensor('squeeze', 'x', x);
  if (dim === undefined)
    return reshaped(
      'squeeze',
      x,
      x.shape.filter((d) => d !== 1),
    );
  if (x.ndim === 0) {
    normalizeDim('squeeze', dim, 0);
    return reshaped('squeeze', x, []);
  }
  const d = normalizeDim('squeeze', dim, x.ndim);
  if (x.shape[d] !== 1) return reshaped('squeeze', x, x.shape);
  return reshaped('squeeze', x, [...x.shape.slice(0, d), ...x.shape.slice(d + 1)]);
}

/** Inserts a size-1 dim at `dim`, which ranges over [-rank - 1, rank] like torch.unsqueeze. */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  assertTensor('unsqueeze', 'x', x);
  const d = normalizeInsertDim('unsqueeze', dim, x.ndim);
  return reshaped('unsqueeze', x, [...x.shape.slice(0, d), 1, ...x.shape.slice(d)]);
}
