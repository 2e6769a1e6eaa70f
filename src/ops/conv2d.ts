import type { Conv2dGeometry } from '../backend/kernels.js';
import { runKernel } from '../backend/registry.js';
import { record } from '../tensor/autograd.js';
import { allocate, type DType, promoteDTypes, type Storage } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * 2-D convolution over NCHW tensors (torch.nn.functional.conv2d without dilation): forward and the
 * gradients for input, weight and bias, each calling the active backend's kernel.
 */

/** A size given once for both spatial dims, or as [height, width]. */
export type Size2d = number | readonly [number, number];

/** Geometry options of conv2d (PyTorch's defaults). */
export interface Conv2dGeometryOptions {
  /** Step between output positions (default 1). */
  stride?: Size2d;
  /** Zero padding added on both sides of each spatial dim (default 0). */
  padding?: Size2d;
  /** Channel groups: input and output channels split into this many independent convolutions (default 1). */
  groups?: number;
}

/** Options of conv2d: the geometry plus an optional bias of shape [outChannels]. */
export interface Conv2dOptions extends Conv2dGeometryOptions {
  /** Added to every position of each output channel. */
  bias?: Tensor;
}

/**
 * Reads a {@link Size2d} (stride, padding, kernel size) as [height, width], checking that both are
 * integers >= `min`; errors name `caller` (the op or layer) and `argument`.
 */
export function pairOf(argument: string, value: Size2d, min: number, caller = 'conv2d'): [number, number] {
  const pair: readonly unknown[] = typeof value === 'number' ? [value, value] : Array.isArray(value) ? value : [];
  const valid = pair.length === 2 && pair.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= min);
  if (!valid) {
    const expected = min === 1 ? 'a positive integer' : 'a non-negative integer';
    const actual = Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
    throw new Error(`${caller}: ${argument} must be ${expected} or a pair [height, width] of them, got ${actual}`);
  }
  return pair as [number, number];
}

/**
 * Validates the shapes of a convolution and computes its geometry, including the output size
 * floor((in + 2 * padding - kernel) / stride) + 1 per spatial dim (torch.nn.Conv2d docs).
 * Throws naming the argument and expected vs actual value.
 */
export function conv2dGeometry(
  inputShape: readonly number[],
  weightShape: readonly number[],
  options: Conv2dGeometryOptions = {},
): Conv2dGeometry {
  if (inputShape.length !== 4) {
    throw new Error(`conv2d: input must be 4-D [batch, channels, height, width], got shape ${formatShape(inputShape)}`);
  }
  if (weightShape.length !== 4) {
    throw new Error(
      'conv2d: weight must be 4-D [outChannels, inChannels / groups, kernelHeight, kernelWidth], ' +
        `got shape ${formatShape(weightShape)}`,
    );
  }
  const [batch, inChannels, inHeight, inWidth] = inputShape;
  const [outChannels, weightInChannels, kernelHeight, kernelWidth] = weightShape;
  if (inChannels < 1 || inHeight < 1 || inWidth < 1) {
    throw new Error(`conv2d: input needs at least one channel, row and column, got shape ${formatShape(inputShape)}`);
  }
  if (weightShape.some((d) => d < 1)) {
    throw new Error(`conv2d: weight must have no empty dims, got shape ${formatShape(weightShape)}`);
  }
  const groups = options.groups ?? 1;
  if (typeof groups !== 'number' || !Number.isInteger(groups) || groups < 1) {
    throw new Error(`conv2d: groups must be a positive integer, got ${String(groups)}`);
  }
  if (inChannels % groups !== 0) {
    throw new Error(`conv2d: groups=${groups} must divide the input's ${inChannels} channels`);
  }
  if (outChannels % groups !== 0) {
    throw new Error(
      `conv2d: groups=${groups} must divide the weight's ${outChannels} output channels (weight ${formatShape(weightShape)})`,
    );
  }
  if (inChannels !== weightInChannels * groups) {
    throw new Error(
      `conv2d: input has ${inChannels} channels but weight expects ${weightInChannels * groups} (groups=${groups})`,
    );
  }
  const [strideHeight, strideWidth] = pairOf('stride', options.stride ?? 1, 1);
  const [paddingHeight, paddingWidth] = pairOf('padding', options.padding ?? 0, 0);
  const paddedHeight = inHeight + 2 * paddingHeight;
  const paddedWidth = inWidth + 2 * paddingWidth;
  if (kernelHeight > paddedHeight || kernelWidth > paddedWidth) {
    throw new Error(
      `conv2d: kernel ${kernelHeight}x${kernelWidth} is larger than the padded input ${paddedHeight}x${paddedWidth} ` +
        `(input ${inHeight}x${inWidth}, padding ${paddingHeight}x${paddingWidth})`,
    );
  }
  return {
    batch,
    inChannels,
    inHeight,
    inWidth,
    outChannels,
    kernelHeight,
    kernelWidth,
    strideHeight,
    strideWidth,
    paddingHeight,
    paddingWidth,
    groups,
    outHeight: Math.floor((paddedHeight - kernelHeight) / strideHeight) + 1,
    outWidth: Math.floor((paddedWidth - kernelWidth) / strideWidth) + 1,
  };
}

/** The tensor's storage in `dtype`, copied only when it differs. */
function storageAs(t: Tensor, dtype: DType): Storage {
  return t.dtype === dtype ? t.data : t.detach().clone(dtype).data;
}

/**
 * 2-D convolution like torch.nn.functional.conv2d: x [N, C, H, W], weight [O, C / groups, kH, kW],
 * optional bias [O]; returns [N, O, outH, outW]. Mixed dtypes compute in the wider one.
 * Backward: dx is the transposed convolution of the gradient with the weight, dweight the
 * correlation of x with the gradient summed over the batch, dbias the gradient summed over N, H, W.
 */
export function conv2d(x: Tensor, weight: Tensor, options: Conv2dOptions = {}): Tensor {
  if (!(x instanceof Tensor)) throw new Error('conv2d: input must be a tensor');
  if (!(weight instanceof Tensor)) throw new Error('conv2d: weight must be a tensor');
  const { bias } = options;
  const geometry = conv2dGeometry(x.shape, weight.shape, options);
  const { batch, outChannels, outHeight, outWidth } = geometry;
  if (bias !== undefined) {
    if (!(bias instanceof Tensor)) throw new Error('conv2d: bias must be a tensor');
    if (bias.ndim !== 1 || bias.shape[0] !== outChannels) {
      throw new Error(
        `conv2d: bias must have shape [${outChannels}] (one value per output channel), got ${formatShape(bias.shape)}`,
      );
    }
  }
  const dtype = promoteDTypes(x.dtype, weight.dtype, ...(bias ? [bias.dtype] : []));
  const input = storageAs(x, dtype);
  const kernel = storageAs(weight, dtype);
  const outPlane = outHeight * outWidth;
  const outShape = [batch, outChannels, outHeight, outWidth];
  const out = allocate(dtype, batch * outChannels * outPlane, `conv2d: output shape ${formatShape(outShape)}`);
  runKernel('conv2dForward', input, kernel, out, geometry);
  if (bias) {
    const b = bias.data;
    for (let n = 0; n < batch; n++) {
      for (let oc = 0; oc < outChannels; oc++) {
        const base = (n * outChannels + oc) * outPlane;
        const value = b[oc];
        for (let i = 0; i < outPlane; i++) out[base + i] += value;
      }
    }
  }
  const output = new Tensor(out, outShape);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record('conv2d', inputs, output, (g) => {
    const gradOutput = storageAs(g, dtype);
    let gradX: Tensor | null = null;
    if (x.requiresGrad) {
      const data = allocate(dtype, x.size);
      runKernel('conv2dBackwardInput', gradOutput, kernel, data, geometry);
      gradX = new Tensor(data, x.shape);
    }
    let gradWeight: Tensor | null = null;
    if (weight.requiresGrad) {
      const data = allocate(dtype, weight.size);
      runKernel('conv2dBackwardWeight', input, gradOutput, data, geometry);
      gradWeight = new Tensor(data, weight.shape);
    }
    if (!bias) return [gradX, gradWeight];
    let gradBias: Tensor | null = null;
    if (bias.requiresGrad) {
      const data = allocate(dtype, outChannels);
      for (let oc = 0; oc < outChannels; oc++) {
        // Accumulate in a JS double so float32 gradients do not lose small terms over large planes.
        let sum = 0;
        for (let n = 0; n < batch; n++) {
          const base = (n * outChannels + oc) * outPlane;
          for (let i = 0; i < outPlane; i++) sum += gradOutput[base + i];
        }
        data[oc] = sum;
      }
      gradBias = new Tensor(data, bias.shape);
    }
    return [gradX, gradWeight, gradBias];
  });
}
