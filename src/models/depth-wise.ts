import { Module, Sequential } from '../nn/index.js';
import type { Size2d } from '../ops/index.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { ConvBn } from './conv-bn.js';
import { ConvBnPrelu } from './conv-bn-prelu.js';

/** Options of {@link DepthWise}: the depthwise convolution's geometry and the expanded width. */
export interface DepthWiseOptions {
  /** Depthwise kernel (default 3). */
  kernel?: Size2d;
  /** Depthwise stride (default 2). */
  stride?: Size2d;
  /** Depthwise padding (default 1). */
  padding?: Size2d;
  /** Width of the expanded middle (the reference recipe's `groups`), also the depthwise conv's group count. */
  groups: number;
  /** Element type of the parameters (default float32). */
  dtype?: DType;
}

/**
 * MobileNetV2-style inverted bottleneck without the residual: 1x1 ConvBnPrelu inChannels -> groups,
 * k x k depthwise ConvBnPrelu groups -> groups, 1x1 ConvBn groups -> outChannels (the reference model's DepthWise).
 */
export class DepthWise extends Module {
  readonly net: Sequential;

  /** Creates the block. */
  constructor(inChannels: number, outChannels: number, options: DepthWiseOptions) {
    super();
    const { kernel = 3, stride = 2, padding = 1, groups, dtype } = options;
    this.net = this.registerModule(
      'net',
      new Sequential(
        new ConvBnPrelu(inChannels, groups, { dtype }),
        new ConvBnPrelu(groups, groups, { kernel, stride, padding, groups, dtype }),
        new ConvBn(groups, outChannels, { dtype }),
      ),
    );
  }

  /** Applies the three convolutions. */
  forward(x: Tensor): Tensor {
    return this.net.forward(x);
  }
}
