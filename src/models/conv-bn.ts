import { BatchNorm2d, Conv2d, Module, Sequential } from '../nn/index.js';
import type { Size2d } from '../ops/index.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';

/** Geometry of a block's convolution (the reference recipe's kernel, stride, padding, groups). */
export interface ConvBlockOptions {
  /** Kernel side or [height, width] (default 1). */
  kernel?: Size2d;
  stride?: Size2d;
  padding?: Size2d;
  groups?: number;
  /** Element type of the parameters (default float32). */
  dtype?: DType;
}

/** Convolution without bias followed by BatchNorm2d; children `net.0` (conv) and `net.1` (bn), as in the reference recipe. */
export class ConvBn extends Module {
  readonly net: Sequential;

  /** Creates the block mapping `inChannels` to `outChannels`. */
  constructor(inChannels: number, outChannels: number, options: ConvBlockOptions = {}) {
    super();
    const { kernel = 1, stride = 1, padding = 0, groups = 1, dtype } = options;
    this.net = this.registerModule(
      'net',
      new Sequential(
        new Conv2d(inChannels, outChannels, kernel, { stride, padding, groups, bias: false, dtype }),
        new BatchNorm2d(outChannels, { dtype }),
      ),
    );
  }

  /** Applies conv then bn. */
  forward(x: Tensor): Tensor {
    return this.net.forward(x);
  }
}
