import { Module, Sequential } from '../nn/index.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { DepthWiseRes } from './depth-wise-res.js';

/** `blocks` residual DepthWise blocks in a row (the reference model's MultiDepthWiseRes); children `net.0`, `net.1`, ... */
export class MultiDepthWiseRes extends Module {
  readonly net: Sequential;

  /** Creates the stack on `channels` channels with an expanded width of `groups`, parameters of `dtype`. */
  constructor(blocks: number, channels: number, groups: number, dtype: DType = 'float32') {
    super();
    if (!Number.isInteger(blocks) || blocks < 1) {
      throw new Error(`MultiDepthWiseRes: blocks must be a positive integer, got ${blocks}`);
    }
    this.net = this.registerModule(
      'net',
      new Sequential(...Array.from({ length: blocks }, () => new DepthWiseRes(channels, groups, dtype))),
    );
  }

  /** Applies the blocks in order. */
  forward(x: Tensor): Tensor {
    return this.net.forward(x);
  }
}
