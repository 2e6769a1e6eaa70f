import { record } from '../tensor/autograd.js';
import { allocate, promoteDTypes } from '../tensor/dtype.js';
import { formatShape, normalizeDim, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { blocksAround } from './dim-blocks.js';
import { unsqueeze } from './reshape.js';
import { assertTensor, normalizeInsertDim } from './shape-arguments.js';
import { slice } from './slice.js';

/** Throws naming the op unless `tensors` is a non-empty array of tensors. */
function assertTensorList(op: string, tensors: readonly Tensor[]): void {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new Error(`${op}: tensors must be a non-empty array of tensors`);
  }
  tensors.forEach((t, i) => {
    assertTensor(op, `tensor ${i}`, t);
  });
}

/**
 * Joins tensors along an existing dim, like torch.cat: all shapes match except in `dim`.
 * Mixed dtypes promote to float64. Backward hands each input its slice of the gradient.
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  assertTensorList('cat', tensors);
  const first = tensors[0];
  if (first.ndim === 0) throw new Error('cat: tensor 0 is zero-dimensional; cat needs tensors of rank >= 1');
  const d = normalizeDim('cat', dim, first.ndim);
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim) {
      throw new Error(`cat: tensor ${i} has rank ${t.ndim} but tensor 0 has rank ${first.ndim}`);
    }
    if (t.shape.some((size, k) => k !== d && size !== first.shape[k])) {
      const expected = first.shape.map((size, k) => (k === d ? '*' : String(size)));
      throw new Error(
        `cat: tensor ${i} has shape ${formatShape(t.shape)} but expected [${expected.join(', ')}] ` +
          `matching tensor 0 except in dim ${d}`,
      );
    }
  });
  const total = tensors.reduce((n, t) => n + t.shape[d], 0);
  const shape = first.shape.map((size, k) => (k === d ? total : size));
  const { outer, inner } = blocksAround(shape, d);
  const out = allocate(promoteDTypes(...tensors.map((t) => t.dtype)), outer * total * inner);
  let offset = 0;
  for (const t of tensors) {
    const block = t.shape[d] * inner;
    const source = t.data;
    for (let o = 0; o < outer; o++) {
      const from = o * block;
      const to = o * total * inner + offset;
      for (let i = 0; i < block; i++) out[to + i] = source[from + i];
    }
    offset += block;
  }
  return record('cat', tensors, new Tensor(out, shape), (g) => {
    let start = 0;
    return tensors.map((t) => {
      const end = start + t.shape[d];
      const part = t.requiresGrad ? slice(g, d, start, end) : null;
      start = end;
      return part;
    });
  });
}

/** Joins same-shaped tensors along a new dim, like torch.stack (equal to cat of unsqueezed inputs). */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  assertTensorList('stack', tensors);
  const first = tensors[0];
  tensors.forEach((t, i) => {
    if (!shapesEqual(t.shape, first.shape)) {
      throw new Error(
        `stack: tensor ${i} has shape ${formatShape(t.shape)} but tensor 0 has shape ${formatShape(first.shape)}`,
      );
    }
  });
  const d = normalizeInsertDim('stack', dim, first.ndim);
  return cat(
    tensors.map((t) => unsqueeze(t, d)),
    d,
  );
}
