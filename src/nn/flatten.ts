import { flatten } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** Flattens dims startDim..endDim into one (torch.nn.Flatten; defaults keep the batch dim). */
export class Flatten extends Module {
  /** Creates the layer. */
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }

  /** Flattens x. */
  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
}
