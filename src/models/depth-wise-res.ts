import { Module } from '../nn/index.js';
import { add } from '../ops/index.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { DepthWise } from './depth-wise.js';

/** A stride-1 DepthWise block plus the identity shortcut (the reference model's DepthWiseRes); child `net`. */
export class DepthWiseRes extends Module {
  readonly net: DepthWise;

  /** Creates the block on `channels` channels with an expanded width of `groups`, parameters of `dtype`. */
  constructor(channels: number, groups: number, dtype: DType = 'float32') {
    super();
    this.net = this.registerModule(
      'net',
      new DepthWise(channels, channels, { kernel: 3, stride: 1, padding: 1, groups, dtype }),
    );
  }

  /** Returns net(x) + x. */
  forward(x: Tensor): Tensor {
    return add(this.net.forward(x), x);
  }
}
