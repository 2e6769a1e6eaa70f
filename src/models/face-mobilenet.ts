import { BatchNorm1d, Flatten, Linear, Module } from '../nn/index.js';
import type { DType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { ConvBn } from './conv-bn.js';
import { ConvBnPrelu } from './conv-bn-prelu.js';
import { DepthWise } from './depth-wise.js';
import { MultiDepthWiseRes } from './multi-depth-wise-res.js';

/** Options of {@link FaceMobileNet}. */
export interface FaceMobileNetOptions {
  /** Length of the output embedding (default 512). */
  embeddingSize?: number;
  /** Side of the square grayscale input (default 128). */
  inputSize?: number;
  /**
   * Side of conv10's depthwise kernel: 7 (default, the reference recipe's, needs a feature map of at least 7,
   * i.e. inputSize >= 97) or 'global' for a kernel as large as the final feature map, which turns
   * conv10 into a global depthwise pooling and works for any input size.
   */
  conv10Kernel?: number | 'global';
  /** Element type of parameters and buffers (default float32; float64 for gradient checks and parity). */
  dtype?: DType;
}

/** Side after one 3x3 convolution with stride 2 and padding 1: floor((n + 2 - 3) / 2) + 1. */
function halve(side: number): number {
  return Math.floor((side - 1) / 2) + 1;
}

/** The feature-map sides through the network: [after conv1..conv9, after conv10]. */
export function faceMobileNetGeometry(inputSize: number, conv10Kernel: number | 'global' = 7) {
  if (!Number.isInteger(inputSize) || inputSize < 1) {
    throw new Error(`FaceMobileNet: inputSize must be a positive integer, got ${inputSize}`);
  }
  const featureSide = halve(halve(halve(halve(inputSize))));
  const kernel = conv10Kernel === 'global' ? featureSide : conv10Kernel;
  if (!Number.isInteger(kernel) || kernel < 1) {
    throw new Error(`FaceMobileNet: conv10Kernel must be a positive integer or 'global', got ${String(conv10Kernel)}`);
  }
  if (kernel > featureSide) {
    throw new Error(
      `FaceMobileNet: inputSize ${inputSize} gives a ${featureSide}x${featureSide} feature map before conv10, ` +
        `smaller than its ${kernel}x${kernel} kernel; use inputSize >= ${minimumInput(kernel)} or conv10Kernel: 'global'`,
    );
  }
  return { featureSide, kernel, outputSide: featureSide - kernel + 1 };
}

/** Smallest input side whose feature map before conv10 is at least `kernel` (each stage halves, rounding up). */
function minimumInput(kernel: number): number {
  return (kernel - 1) * 16 + 1;
}

/**
 * The FaceMobileNet of the reference recipe, fangqing408/01-CosFace-ArcFace
 * (https://github.com/fangqing408/01-CosFace-ArcFace), a MobileFaceNet variant: 1 x S x S grayscale in, an embedding out.
 * Module names match the reference recipe's PyTorch module tree, so its state-dict keys load unchanged
 * (332 entries, 1,985,728 parameters at embeddingSize 512, inputSize 128). Unlike the reference model, the
 * linear layer's input is derived from inputSize (2048 at 128, 512 at 112).
 */
export class FaceMobileNet extends Module {
  readonly conv1: ConvBnPrelu;
  readonly conv2: ConvBn;
  readonly conv3: DepthWise;
  readonly conv4: MultiDepthWiseRes;
  readonly conv5: DepthWise;
  readonly conv6: MultiDepthWiseRes;
  readonly conv7: DepthWise;
  readonly conv8: MultiDepthWiseRes;
  readonly conv9: ConvBnPrelu;
  readonly conv10: ConvBn;
  readonly flatten: Flatten;
  readonly linear: Linear;
  readonly bn: BatchNorm1d;
  readonly embeddingSize: number;
  readonly inputSize: number;

  /**
   * Builds the network with PyTorch's default initialisation from the seeded generator.
   * @param options embeddingSize (default 512), inputSize (default 128), conv10Kernel and dtype
   * @example manualSeed(0); const model = new FaceMobileNet({ inputSize: 64, embeddingSize: 128, conv10Kernel: 'global' });
   */
  constructor(options: FaceMobileNetOptions = {}) {
    super();
    const { embeddingSize = 512, inputSize = 128, conv10Kernel = 7, dtype = 'float32' } = options;
    if (!Number.isInteger(embeddingSize) || embeddingSize < 1) {
      throw new Error(`FaceMobileNet: embeddingSize must be a positive integer, got ${embeddingSize}`);
    }
    const { kernel, outputSide } = faceMobileNetGeometry(inputSize, conv10Kernel);
    this.embeddingSize = embeddingSize;
    this.inputSize = inputSize;
    const s2 = { kernel: 3, stride: 2, padding: 1, dtype };
    this.conv1 = this.registerModule('conv1', new ConvBnPrelu(1, 64, s2));
    this.conv2 = this.registerModule(
      'conv2',
      new ConvBn(64, 64, { kernel: 3, stride: 1, padding: 1, groups: 64, dtype }),
    );
    this.conv3 = this.registerModule('conv3', new DepthWise(64, 64, { ...s2, groups: 128 }));
    this.conv4 = this.registerModule('conv4', new MultiDepthWiseRes(4, 64, 128, dtype));
    this.conv5 = this.registerModule('conv5', new DepthWise(64, 128, { ...s2, groups: 256 }));
    this.conv6 = this.registerModule('conv6', new MultiDepthWiseRes(6, 128, 256, dtype));
    this.conv7 = this.registerModule('conv7', new DepthWise(128, 128, { ...s2, groups: 512 }));
    this.conv8 = this.registerModule('conv8', new MultiDepthWiseRes(2, 128, 256, dtype));
    this.conv9 = this.registerModule('conv9', new ConvBnPrelu(128, 512, { dtype }));
    this.conv10 = this.registerModule('conv10', new ConvBn(512, 512, { kernel, groups: 512, dtype }));
    this.flatten = this.registerModule('flatten', new Flatten());
    this.linear = this.registerModule(
      'linear',
      new Linear(512 * outputSide * outputSide, embeddingSize, { bias: false, dtype }),
    );
    this.bn = this.registerModule('bn', new BatchNorm1d(embeddingSize, { dtype }));
  }

  /**
   * Embeds a batch of grayscale faces.
   * @param x images [N, 1, inputSize, inputSize]
   * @returns embeddings [N, embeddingSize] (not normalised; the heads and verification normalise)
   */
  forward(x: Tensor): Tensor {
    const s = this.inputSize;
    if (x.ndim !== 4 || x.shape[1] !== 1 || x.shape[2] !== s || x.shape[3] !== s) {
      throw new Error(`FaceMobileNet: expected input of shape [N, 1, ${s}, ${s}], got ${formatShape(x.shape)}`);
    }
    let out = this.conv1.forward(x);
    for (const stage of [
      this.conv2,
      this.conv3,
      this.conv4,
      this.conv5,
      this.conv6,
      this.conv7,
      this.conv8,
      this.conv9,
      this.conv10,
    ]) {
      out = stage.forward(out);
    }
    return this.bn.forward(this.linear.forward(this.flatten.forward(out)));
  }
}
