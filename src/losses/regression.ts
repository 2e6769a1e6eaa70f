import { abs, mul, sub } from '../ops/index.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { type Reduction, reduceLoss } from './cross-entropy.js';

/** Options of the elementwise losses ({@link mseLoss}, {@link l1Loss}, binaryCrossEntropyWithLogits). */
export interface ElementwiseLossOptions {
  /** 'mean' (default) over every element, 'sum', or 'none' for a tensor of the input's shape. */
  reduction?: Reduction;
}

/**
 * Throws naming the loss unless input and target are tensors of one shape. PyTorch broadcasts
 * them with a warning; a mismatch there is almost always a bug (a [batch] target against a
 * [batch, 1] output silently becomes [batch, batch]), so arcgrad refuses it.
 */
export function assertSameShape(loss: string, input: Tensor, target: Tensor): void {
  if (!(input instanceof Tensor)) throw new Error(`${loss}: input must be a tensor, got ${String(input)}`);
  if (!(target instanceof Tensor)) throw new Error(`${loss}: target must be a tensor, got ${String(target)}`);
  if (!shapesEqual(input.shape, target.shape)) {
    throw new Error(
      `${loss}: target has shape ${formatShape(target.shape)} but input has shape ${formatShape(input.shape)}; they must match`,
    );
  }
}

/**
 * Mean squared error (input - target)^2, as torch.nn.functional.mse_loss. Built from sub and mul,
 * so both input and target receive gradients.
 * @param input predictions, any shape
 * @param target values of the same shape
 * @param options reduction: 'mean' (default), 'sum' or 'none'
 * @returns a scalar, or a tensor of input's shape with reduction 'none'
 * @example mseLoss(tensor([1, 2]), tensor([1, 4])) // 2
 */
export function mseLoss(input: Tensor, target: Tensor, options: ElementwiseLossOptions = {}): Tensor {
  assertSameShape('mseLoss', input, target);
  const difference = sub(input, target);
  return reduceLoss('mseLoss', mul(difference, difference), options.reduction ?? 'mean');
}

/**
 * Mean absolute error |input - target|, as torch.nn.functional.l1_loss; the gradient at
 * input = target is 0 (sign(0) = 0), as in PyTorch.
 * @param input predictions, any shape
 * @param target values of the same shape
 * @param options reduction: 'mean' (default), 'sum' or 'none'
 * @returns a scalar, or a tensor of input's shape with reduction 'none'
 * @example l1Loss(tensor([1, 2]), tensor([1, 4])) // 1
 */
export function l1Loss(input: Tensor, target: Tensor, options: ElementwiseLossOptions = {}): Tensor {
  assertSameShape('l1Loss', input, target);
  return reduceLoss('l1Loss', abs(sub(input, target)), options.reduction ?? 'mean');
}
