import { dropout } from '../ops/index.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/**
 * Inverted dropout in training mode and the identity in eval mode (torch.nn.Dropout). Draws
 * from `generator` when given, else from the process-wide generator that manualSeed resets.
 */
export class Dropout extends Module {
  /**
   * Creates the layer.
   * @param p probability of zeroing each element, in [0, 1] (default 0.5)
   * @param generator where the random draws come from (default: the process-wide one)
   * @example const drop = new Dropout(0.2, new Generator(0)); // model.eval() turns it into the identity
   */
  constructor(
    readonly p = 0.5,
    readonly generator?: Generator,
  ) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new Error(`Dropout: p must be a probability in [0, 1], got ${String(p)}`);
    }
  }

  /**
   * Drops elements of x in training, scaling the kept ones by 1 / (1 - p); returns x itself in eval.
   * @param x input of any shape
   * @returns a tensor of x's shape
   */
  forward(x: Tensor): Tensor {
    return dropout(x, { p: this.p, training: this.training, generator: this.generator });
  }
}
