import { record } from '../tensor/autograd.js';
import { allocate, floatStorage } from '../tensor/dtype.js';
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

/** Writes softmax (or, with `log`, logSoftmax) along each row of the blocks into `out`. */
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

/**
 * Backward of both ops along each row: grad = g - y * sum(g) for logSoftmax (y = softmax = e^out)
 * and grad = y * (g - sum(g * y)) for softmax (y = out).
 */
function softmaxBackward(g: Tensor, out: Float32Array | Float64Array, blocks: DimBlocks, log: boolean): Tensor {
  const { outer, size, inner } = blocks;
  const gd = g.data;
  const grad = allocate(g.dtype, gd.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let total = 0;
      for (let j = 0; j < size; j++) total += log ? gd[base + j * inner] : gd[base + j * inner] * out[base + j * inner];
      for (let j = 0; j < size; j++) {
        const k = base + j * inner;
        grad[k] = log ? gd[k] - Math.exp(out[k]) * total : out[k] * (gd[k] - total);
      }
    }
  }
  return new Tensor(grad, g.shape);
}

/** e^x / sum e^x along `dim`, max-subtracted. Backward: dx = y (g - sum(g y)). */
export function softmax(x: Tensor, dim: number): Tensor {
  const blocks = resolve('softmax', x, dim);
  const out = floatStorage('softmax', allocate(x.dtype, x.size));
  softmaxInto(floatStorage('softmax', x.data), out, blocks, false);
  const y = new Tensor(out, x.shape);
  return record('softmax', [x], y, (g) => [softmaxBackward(g, out, blocks, false)]);
}

/** log(softmax(x)) along `dim`, computed stably. Backward: dx = g - softmax(x) sum(g). */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  const blocks = resolve('logSoftmax', x, dim);
  const out = floatStorage('logSoftmax', allocate(x.dtype, x.size));
  softmaxInto(floatStorage('logSoftmax', x.data), out, blocks, true);
  const y = new Tensor(out, x.shape);
  return record('logSoftmax', [x], y, (g) => [softmaxBackward(g, out, blocks, true)]);
}
