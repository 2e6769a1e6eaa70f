import { type AvgPool2dOptions, avgPool2d, maxPool2d, type Pool2dOptions } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** Max pooling of [N, C, H, W] feature maps (torch.nn.MaxPool2d); stride defaults to the kernel size. */
export class MaxPool2d extends Module {
  /**
   * Creates the layer.
   * @param options kernelSize (required), stride (default: kernelSize) and padding
   * @example const pool = new MaxPool2d({ kernelSize: 2 }); pool.forward(randn([1, 8, 32, 32])) // [1, 8, 16, 16]
   */
  constructor(readonly options: Pool2dOptions) {
    super();
  }

  /**
   * Pools x.
   * @param x feature maps of shape [N, C, H, W]
   * @returns pooled maps of shape [N, C, outH, outW]
   */
  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.options);
  }
}

/** Average pooling of [N, C, H, W] feature maps (torch.nn.AvgPool2d); stride defaults to the kernel size. */
export class AvgPool2d extends Module {
  /**
   * Creates the layer.
   * @param options kernelSize (required), stride (default: kernelSize), padding and countIncludePad
   * @example const pool = new AvgPool2d({ kernelSize: 2 }); pool.forward(randn([1, 8, 32, 32])) // [1, 8, 16, 16]
   */
  constructor(readonly options: AvgPool2dOptions) {
    super();
  }

  /**
   * Pools x.
   * @param x feature maps of shape [N, C, H, W]
   * @returns pooled maps of shape [N, C, outH, outW]
   */
  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.options);
  }
}
