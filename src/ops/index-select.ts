import { record } from '../tensor/autograd.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape, normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { blocksAround } from './dim-blocks.js';
import { type Indices, indicesShape, toIndexArray } from './indices.js';
import { assertTensor } from './shape-arguments.js';

/**
 * Picks the entries `index` (a 1-D list, repeats allowed) along `dim`, like torch.index_select.
 * Backward adds each gradient row back to the row it was picked from (repeats accumulate).
 */
export function indexSelect(x: Tensor, dim: number, index: Indices): Tensor {
  assertTensor('indexSelect', 'x', x);
  if (x.ndim === 0) throw new Error('indexSelect: x is zero-dimensional; indexSelect needs a tensor of rank >= 1');
  const d = normalizeDim('indexSelect', dim, x.ndim);
  const { outer, size, inner } = blocksAround(x.shape, d);
  const picks = toIndexArray('indexSelect', 'index', index, size, `dim ${d} of size ${size}`);
  if (indicesShape(index).length > 1) {
    throw new Error(`indexSelect: index must be 1-D, got shape ${formatShape(indicesShape(index))}`);
  }
  const count = picks.length;
  const shape = x.shape.map((s, k) => (k === d ? count : s));
  const source = x.data;
  const out = allocate(x.dtype, outer * count * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const from = (o * size + picks[j]) * inner;
      const to = (o * count + j) * inner;
      for (let i = 0; i < inner; i++) out[to + i] = source[from + i];
    }
  }
  return record('indexSelect', [x], new Tensor(out, shape), (g) => {
    const grad = allocate(g.dtype, x.size);
    const gd = g.data;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < count; j++) {
        const to = (o * size + picks[j]) * inner;
        const from = (o * count + j) * inner;
        for (let i = 0; i < inner; i++) grad[to + i] += gd[from + i];
      }
    }
    return [new Tensor(grad, x.shape)];
  });
}
