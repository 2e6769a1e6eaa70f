import { record } from '../tensor/autograd.js';
import { allocate, type DType, type Storage } from '../tensor/dtype.js';
import { formatShape, normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { DimBlocks } from './dim-blocks.js';
import { blocksAroundDim, reducedShapes } from './reduction-shape.js';

/**
 * Reductions that select an element: max, min (values, differentiable) and argmax (indices).
 * Like PyTorch, NaN counts as larger and smaller than every number, so it propagates, and among
 * equal values the first one is selected.
 */

/** Value and flat input index of the winner in each [outer, inner] slot. */
function selectAlongDim(
  x: Tensor,
  { outer, size, inner }: DimBlocks,
  sign: 1 | -1,
  dtype: DType,
): { values: Storage; indices: Int32Array } {
  const xd = x.data;
  const values = allocate(dtype, outer * inner);
  const indices = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let bestIndex = o * size * inner + i;
      let best = xd[bestIndex];
      for (let j = 1; j < size && !Number.isNaN(best); j++) {
        const index = o * size * inner + j * inner + i;
        const v = xd[index];
        // A NaN wins and ends the scan (see the loop condition), so NaN propagates like in PyTorch.
        if (Number.isNaN(v) || (sign > 0 ? v > best : v < best)) {
          best = v;
          bestIndex = index;
        }
      }
      values[o * inner + i] = best;
      indices[o * inner + i] = bestIndex;
    }
  }
  return { values, indices };
}

/** Resolves dim for a selection op and checks that the reduced extent is not empty. */
function selectionBlocks(op: string, x: Tensor, dim: number | undefined): DimBlocks {
  if (dim !== undefined && typeof dim !== 'number') throw new Error(`${op}: dim must be a number, got ${String(dim)}`);
  const blocks =
    dim === undefined ? { outer: 1, size: x.size, inner: 1 } : blocksAroundDim(x.shape, normalizeDim(op, dim, x.ndim));
  if (blocks.size === 0) {
    const where = dim === undefined ? 'an empty tensor' : `dim ${dim} of size 0`;
    throw new Error(`${op}: cannot reduce ${where} (input shape ${formatShape(x.shape)})`);
  }
  return blocks;
}

function extremum(op: string, x: Tensor, dim: number | undefined, keepdim: boolean, sign: 1 | -1): Tensor {
  const blocks = selectionBlocks(op, x, dim);
  const { outShape } = reducedShapes(op, x.shape, dim, keepdim);
  const { values, indices } = selectAlongDim(x, blocks, sign, x.dtype);
  const out = new Tensor(values, outShape);
  return record(op, [x], out, (g) => {
    const grad = allocate(g.dtype, x.size);
    const gd = g.data;
    if (dim === undefined) {
      // Full reduction: PyTorch 1.13 splits the gradient evenly among all elements equal to the
      // result (among the NaNs when the result is NaN).
      const best = values[0];
      const nan = Number.isNaN(best);
      let ties = 0;
      for (let i = 0; i < x.size; i++) if (nan ? Number.isNaN(x.data[i]) : x.data[i] === best) ties++;
      for (let i = 0; i < x.size; i++) if (nan ? Number.isNaN(x.data[i]) : x.data[i] === best) grad[i] = gd[0] / ties;
    } else {
      // Reduction over a dim: the whole gradient goes to the selected index, as in torch.max(x, dim).
      for (let k = 0; k < indices.length; k++) grad[indices[k]] += gd[k];
    }
    return [new Tensor(grad, x.shape)];
  });
}

/**
 * Largest value of x, over everything or along `dim` (dropped unless keepdim), like the values
 * of torch.max. The gradient goes to the selected element; for a full reduction ties share it evenly.
 */
export function max(x: Tensor, dim?: number, keepdim = false): Tensor {
  return extremum('max', x, dim, keepdim, 1);
}

/** Smallest value of x; the mirror of {@link max}. */
export function min(x: Tensor, dim?: number, keepdim = false): Tensor {
  return extremum('min', x, dim, keepdim, -1);
}

/**
 * Index of the largest value along `dim` (of the flattened tensor when omitted), first one on
 * ties, as an int32 tensor (PyTorch's is int64). Not differentiable.
 */
export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  const blocks = selectionBlocks('argmax', x, dim);
  const { outShape } = reducedShapes('argmax', x.shape, dim, keepdim);
  const { indices } = selectAlongDim(x, blocks, 1, x.dtype);
  const out = allocate('int32', indices.length);
  const { size, inner } = blocks;
  // Turn flat input indices into positions along the reduced dim.
  for (let k = 0; k < indices.length; k++) out[k] = Math.floor(indices[k] / inner) % size;
  return new Tensor(out, outShape);
}
