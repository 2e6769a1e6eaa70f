import { type AvgPool2dOptions, avgPool2d, maxPool2d, type Pool2dOptions } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** Max pooling of [N, C, H, W] feature maps (torch.nn.MaxPool2d); stride defaults to the kernel size. */
export class MaxPool2d extends Module {
  /** Creates the layer. */
  constructor(readonly options: Pool2dOptions) {
    super();
  }

  /** Pools x. */
  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.options);
  }
}

/** Average pooling of [N, C, H, W] feature maps (torch.nn.AvgPool2d); stride defaults to the kernel size. */
export class AvgPool2d extends Module {
  /** Creates the layer. */
  constructor(readonly options: AvgPool2dOptions) {
    super();
  }

  /** Pools x. */
  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.options);
  }
}
