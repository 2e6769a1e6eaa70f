import { flatten } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** Flattens dims startDim..endDim into one (torch.nn.Flatten; defaults keep the batch dim). */
export class Flatten extends Module {
  /**
   * Creates the layer.
   * @param startDim first dim to flatten (default 1, keeping the batch dim)
   * @param endDim last dim to flatten (default -1, the last)
   * @example new Flatten().forward(zeros([8, 16, 4, 4])) // shape [8, 256]
   */
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }

  /**
   * Flattens x.
   * @param x input with at least the dims startDim..endDim
   * @returns x with those dims merged into one
   */
  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
}
