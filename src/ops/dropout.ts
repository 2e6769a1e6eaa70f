import { record } from '../tensor/autograd.js';
import { allocate } from '../tensor/dtype.js';
import { defaultGenerator, type Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { broadcastBinary } from './broadcast.js';

/** Options of {@link dropout}; defaults are PyTorch's. */
export interface DropoutOptions {
  /** Probability of zeroing each element, in [0, 1] (default 0.5). */
  p?: number;
  /** Drop only in training; false returns the input itself, as PyTorch does in eval mode (default true). */
  training?: boolean;
  /** Source of the keep/drop draws, so a run replays from its seed (default: the process-wide generator). */
  generator?: Generator;
}

/**
 * Inverted dropout (Srivastava et al. 2014, as torch.nn.functional.dropout): zeroes each element
 * with probability p and scales the kept ones by 1 / (1 - p), so the expected value is unchanged
 * and eval mode needs no rescaling. The backward multiplies by the same mask.
 */
export function dropout(x: Tensor, options: DropoutOptions = {}): Tensor {
  const { p = 0.5, training = true, generator = defaultGenerator } = options;
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new Error(`dropout: p must be a probability in [0, 1], got ${String(p)}`);
  }
  if (!training || p === 0) return x;
  // p = 1 drops everything; 1 / (1 - p) would be Infinity and 0 * Infinity NaN.
  const scale = p === 1 ? 0 : 1 / (1 - p);
  const mask = allocate(x.dtype, x.data.length);
  for (let i = 0; i < mask.length; i++) mask[i] = generator.uniform() < p ? 0 : scale;
  const maskTensor = new Tensor(mask, x.shape);
  const out = broadcastBinary('dropout', x, maskTensor, x.dtype, (xi, mi) => xi * mi);
  return record('dropout', [x], out, (g) => [broadcastBinary('dropout', g, maskTensor, g.dtype, (gi, mi) => gi * mi)]);
}
