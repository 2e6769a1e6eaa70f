import { record } from '../tensor/autograd.js';
import { allocate, promoteDTypes } from '../tensor/dtype.js';
import { formatShape, stridesOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { indexedOffsets } from './gather.js';
import { assertFinite } from './operand.js';
import { assertTensor } from './shape-arguments.js';
import { stridedOffsets } from './strided.js';

/**
 * Out-of-place torch.scatter: a copy of x where out[i][index[i][j][k]][k] = src[i][j][k] for dim = 1
 * (likewise for any dim); src may be a number written at every indexed position.
 * When index repeats a position, the last write in row-major order wins (torch leaves it undefined).
 * Backward is exact for that rule: x gets the gradient where it was not overwritten, and each src
 * element the gradient of the position it won (for distinct indices this equals gather(g, dim, index)).
 */
export function scatter(x: Tensor, dim: number, index: Tensor, src: Tensor | number): Tensor {
  assertTensor('scatter', 'x', x);
  const { offsets } = indexedOffsets('scatter', x.shape, 'x', dim, index);
  let srcOffsets: Int32Array | null = null;
  if (src instanceof Tensor) {
    if (src.ndim !== index.ndim || index.shape.some((size, k) => size > src.shape[k])) {
      throw new Error(
        `scatter: index has shape ${formatShape(index.shape)} but src has shape ${formatShape(src.shape)}; ` +
          "src needs the same rank and at least index's size in every dim",
      );
    }
    srcOffsets = stridedOffsets(index.shape, stridesOf(src.shape));
  } else {
    assertFinite('scatter', 'src', src);
  }
  const dtype = src instanceof Tensor ? promoteDTypes(x.dtype, src.dtype) : x.dtype;
  const out = allocate(dtype, x.size);
  out.set(x.data);
  // winner[p] = the index element whose write survives at output position p, or -1.
  const winner = new Int32Array(x.size).fill(-1);
  for (let i = 0; i < offsets.length; i++) {
    out[offsets[i]] = srcOffsets === null ? (src as number) : (src as Tensor).data[srcOffsets[i]];
    winner[offsets[i]] = i;
  }
  const result = new Tensor(out, x.shape);
  const inputs = src instanceof Tensor ? [x, src] : [x];
  return record('scatter', inputs, result, (g) => {
    const gd = g.data;
    let gradX: Tensor | null = null;
    if (x.requiresGrad) {
      const grad = allocate(g.dtype, x.size);
      for (let p = 0; p < grad.length; p++) grad[p] = winner[p] === -1 ? gd[p] : 0;
      gradX = new Tensor(grad, x.shape);
    }
    if (!(src instanceof Tensor) || srcOffsets === null) return [gradX];
    let gradSrc: Tensor | null = null;
    if (src.requiresGrad) {
      const grad = allocate(g.dtype, src.size);
      for (let p = 0; p < winner.length; p++) if (winner[p] !== -1) grad[srcOffsets[winner[p]]] = gd[p];
      gradSrc = new Tensor(grad, src.shape);
    }
    return [gradX, gradSrc];
  });
}
