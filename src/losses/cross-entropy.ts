import { gather, logSoftmax, mean, neg, reshape, sum } from '../ops/index.js';
import type { Indices } from '../ops/indices.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { classLabels } from './labels.js';

/** How a loss folds its per-sample values: their mean, their sum, or none (one value per sample). */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions {
  /** 'mean' (default), 'sum', or 'none' for a [batch] tensor of per-sample losses. */
  reduction?: Reduction;
}

/** Applies a reduction to per-sample losses, rejecting unknown names. */
export function reduceLoss(loss: string, perSample: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return perSample;
  if (reduction === 'mean') {
    // torch returns NaN here; an empty batch is a bug in the caller's data loop, so say so.
    if (perSample.size === 0) throw new Error(`${loss}: the batch is empty; a mean over no samples is undefined`);
    return mean(perSample);
  }
  if (reduction === 'sum') return sum(perSample);
  throw new Error(`${loss}: reduction must be 'mean', 'sum' or 'none', got '${String(reduction)}'`);
}

/**
 * Per-sample -log softmax(logits)[label], computed through logSoftmax, which subtracts each row's
 * max, so logits of |40| and beyond (s = 30 heads) never overflow exp. Checks logits [batch, classes]
 * and one integer label in [0, classes) per sample; `loss` names the caller in errors.
 */
export function negativeLogLikelihood(loss: string, logits: Tensor, labels: Indices): Tensor {
  if (!(logits instanceof Tensor) || logits.ndim !== 2) {
    const got = logits instanceof Tensor ? formatShape(logits.shape) : String(logits);
    throw new Error(`${loss}: logits must be a 2-D tensor [batch, classes], got ${got}`);
  }
  const [batch, classes] = logits.shape;
  const indices = classLabels(loss, labels, batch, classes);
  const column = new Tensor(Float32Array.from(indices), [batch, 1]);
  return reshape(neg(gather(logSoftmax(logits, 1), 1, column)), [batch]);
}

/**
 * Cross-entropy of logits [batch, classes] against integer labels, like
 * torch.nn.functional.cross_entropy (no class weights, no ignore index, no label smoothing).
 * @param logits unnormalised scores [batch, classes]
 * @param labels one class index per sample: numbers, an Int32Array or a 1-D int32 tensor
 * @param options reduction: 'mean' (default), 'sum' or 'none'
 * @returns a scalar, or [batch] per-sample losses with reduction 'none'
 * @example crossEntropy(tensor([[2, 0, -1], [0, 3, 0]]), [0, 1]) // about 0.1324
 */
export function crossEntropy(logits: Tensor, labels: Indices, options: CrossEntropyOptions = {}): Tensor {
  const perSample = negativeLogLikelihood('crossEntropy', logits, labels);
  return reduceLoss('crossEntropy', perSample, options.reduction ?? 'mean');
}
