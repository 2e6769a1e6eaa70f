import { exp, mul, neg, pow, sub } from '../ops/index.js';
import type { Indices } from '../ops/indices.js';
import type { Tensor } from '../tensor/tensor.js';
import { negativeLogLikelihood, type Reduction, reduceLoss } from './cross-entropy.js';

/** Options of {@link focalLoss}. */
export interface FocalLossOptions {
  /** Focusing parameter gamma >= 0 (default 2); 0 gives plain cross-entropy. */
  gamma?: number;
  /** 'mean' (default, the reference recipe's), 'sum', or 'none' for per-sample values. */
  reduction?: Reduction;
}

/**
 * Focal loss (Lin et al. 2017) exactly as the reference recipe computes it: per sample logp = cross-entropy,
 * p = exp(-logp) (the label's softmax probability), loss = (1 - p)^gamma * logp, then the mean.
 * Down-weights samples the model already classifies well; never exceeds cross-entropy.
 * @param logits unnormalised scores [batch, classes] (a margin head's output)
 * @param labels one class index per sample
 * @param options gamma (default 2) and reduction (default 'mean')
 * @returns a scalar, or [batch] per-sample losses with reduction 'none'
 * @example const loss = focalLoss(head.forward(embeddings, labels), labels, { gamma: 2 });
 */
export function focalLoss(logits: Tensor, labels: Indices, options: FocalLossOptions = {}): Tensor {
  const { gamma = 2, reduction = 'mean' } = options;
  if (typeof gamma !== 'number' || !Number.isFinite(gamma) || gamma < 0) {
    throw new Error(`focalLoss: gamma must be a finite number >= 0, got ${String(gamma)}`);
  }
  const logp = negativeLogLikelihood('focalLoss', logits, labels);
  const p = exp(neg(logp));
  return reduceLoss('focalLoss', mul(pow(sub(1, p), gamma), logp), reduction);
}
