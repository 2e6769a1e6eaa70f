import { logistic } from '../ops/activation.js';
import { broadcastBinary } from '../ops/broadcast.js';
import { resultDType } from '../ops/operand.js';
import { record } from '../tensor/autograd.js';
import type { Tensor } from '../tensor/tensor.js';
import { reduceLoss } from './cross-entropy.js';
import { assertSameShape, type ElementwiseLossOptions } from './regression.js';

/**
 * Binary cross-entropy of raw logits x against targets y in [0, 1], as
 * torch.nn.functional.binary_cross_entropy_with_logits (no weight, no pos_weight):
 * -(y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))).
 * Computed in the stable form max(x, 0) - x y + log(1 + e^-|x|), which never exponentiates a
 * positive number, so logits of any size give finite losses (the naive form gives log(0) = -inf
 * from |x| of about 17 in float32). d/dx = sigmoid(x) - y and d/dy = -x.
 * @param logits raw scores, any shape
 * @param target probabilities in [0, 1] of the same shape
 * @param options reduction: 'mean' (default), 'sum' or 'none'
 * @returns a scalar, or a tensor of logits' shape with reduction 'none'
 * @example binaryCrossEntropyWithLogits(tensor([0, 100]), tensor([1, 1])) // (log 2 + 0) / 2
 */
export function binaryCrossEntropyWithLogits(
  logits: Tensor,
  target: Tensor,
  options: ElementwiseLossOptions = {},
): Tensor {
  assertSameShape('binaryCrossEntropyWithLogits', logits, target);
  const dtype = resultDType(logits, target);
  const perElement = broadcastBinary(
    'binaryCrossEntropyWithLogits',
    logits,
    target,
    dtype,
    (x, y) => Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x))),
  );
  const loss = record('binaryCrossEntropyWithLogits', [logits, target], perElement, (g) => [
    logits.requiresGrad
      ? broadcastBinary(
          'backward',
          g,
          broadcastBinary('backward', logits, target, dtype, (x, y) => logistic(x) - y),
          dtype,
          (gi, d) => gi * d,
        )
      : null,
    target.requiresGrad ? broadcastBinary('backward', g, logits, dtype, (gi, x) => -gi * x) : null,
  ]);
  return reduceLoss('binaryCrossEntropyWithLogits', loss, options.reduction ?? 'mean');
}
