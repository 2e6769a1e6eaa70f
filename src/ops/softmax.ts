import { record } from '../tensor/autograd.js';
import { allocate } from '../tensor/dtype.js';
import { normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { DimBlocks } from './dim-blocks.js';
import { blocksAroundDim } from './reduction-shape.js';

/**
 * softmax and logSoftmax along one dim. Both subtract the row maximum before exponentiating,
 * so logits of any magnitude give finite results (e^(x - max) <= 1 cannot overflow), and
 * logSoftmax is x - max - log(sum e^(x - max)) rather than log(softmax), which would give
 * log(0) = -Infinity for very negative logits.
 */

function resolve(op: string, x: Tensor, dim: number): DimBlocks {
  if (typeof dim !== 'number') throw new Error(`${op}: dim is required and must be a number, got ${String(dim)}`);
  return blocksAroundDim(x.shape, normalizeDim(op, dim, x.ndim));
}

/** Writes softmax (or, with `log`, logSoftmax) along each row of the geometry into `out`. */
function softmaxInto(
  xd: ArrayLike<number>,
  out: Float32Array | Float64Array,
  { outer, size, inner }: DimBlocks,
  log: boolean,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let best = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < size; j++) best = Math.max(best, xd[base + j * inner]);
      let total = 0;
      for (let j = 0; j < size; j++) total += Math.exp(xd[base + j * inner] - best);
      if (log) {
        const logTotal = best + Math.log(total);
        for (let j = 0; j < size; j++) out[base + j * inner] = xd[base + j * inner] - logTotal;
      } else {
        for (let j = 0; j < size; j++) out[base + j * inner] = Math.exp(xd[base + j * inner] - best) / total;
      }
    }
  }
}

/** Per row of the geometry: the sum of a[j] * b[j], or of a[j] alone when b is null. */
function rowDots(a: ArrayLike<number>, b: ArrayLike<number> | null, geometry: DimBlocks): Float64Array {
  const { outer, size, inner } = geometry;
  const dots = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let total = 0;
      for (let j = 0; j < size; j++) total += a[base + j * inner] * (b === null ? 1 : b[base + j * inner]);
      dots[o * inner + i] = total;
    }
  }
  return dots;
}

/** The row index (o * inner + i) of flat element `k`. */
function rowOf(k: number, { size, inner }: DimBlocks): number {
  return Math.floor(k / (size * inner)) * inner + (k % inner);
}

/** e^x / sum e^x along `dim`, max-subtracted. Backward: dx = y (g - sum(g y)). */
export function softmax(x: Tensor, dim: number): Tensor {
  const geometry = resolve('softmax', x, dim);
  const out = allocate(x.dtype, x.size);
  softmaxInto(x.data, out, geometry, false);
  const y = new Tensor(out, x.shape);
  return record('softmax', [x], y, (g) => {
    const dots = rowDots(g.data, out, geometry);
    const grad = allocate(g.dtype, x.size);
    for (let k = 0; k < grad.length; k++) grad[k] = out[k] * (g.data[k] - dots[rowOf(k, geometry)]);
    return [new Tensor(grad, x.shape)];
  });
}

/** log(softmax(x)) along `dim`, computed stably. Backward: dx = g - softmax(x) sum(g). */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  const geometry = resolve('logSoftmax', x, dim);
  const out = allocate(x.dtype, x.size);
  softmaxInto(x.data, out, geometry, true);
  const y = new Tensor(out, x.shape);
  return record('logSoftmax', [x], y, (g) => {
    const totals = rowDots(g.data, null, geometry);
    const grad = allocate(g.dtype, x.size);
    for (let k = 0; k < grad.length; k++) grad[k] = g.data[k] - Math.exp(out[k]) * totals[rowOf(k, geometry)];
    return [new Tensor(grad, x.shape)];
  });
}
