import { classLabels } from '../losses/labels.js';
import { clamp, gather, linear, mul, normalize, oneHot, where } from '../ops/index.js';
import type { Indices } from '../ops/indices.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * The part CosFace and ArcFace share: cosines between embeddings and class weights, and the
 * out-of-place write of a margin-adjusted cosine into each sample's label column.
 */

/**
 * Cosine of every embedding with every class weight, `normalize(x) @ normalize(W)^T` as in the reference recipe,
 * clamped into [-1, 1] because rounding pushes the cosine of (anti)parallel vectors past +-1 and the
 * margin's sqrt(1 - cos^2) needs |cos| <= 1. The clamp passes no gradient to values it moved
 * (torch.clamp's rule); those are (anti)parallel pairs, where the cosine's true gradient is ~0 anyway.
 * Shapes: embeddings [batch, features], weight [classes, features] -> [batch, classes].
 */
export function cosineSimilarity(head: string, embeddings: Tensor, weight: Tensor): Tensor {
  if (!(embeddings instanceof Tensor) || embeddings.ndim !== 2) {
    const got = embeddings instanceof Tensor ? formatShape(embeddings.shape) : String(embeddings);
    throw new Error(`${head}: embeddings must be a 2-D tensor [batch, features], got ${got}`);
  }
  if (!(weight instanceof Tensor) || weight.ndim !== 2) {
    throw new Error(`${head}: weight must be a 2-D tensor [classes, features], got ${String(weight)}`);
  }
  if (weight.shape[1] !== embeddings.shape[1]) {
    throw new Error(
      `${head}: embeddings have ${embeddings.shape[1]} features but weight ${formatShape(weight.shape)} expects ${weight.shape[1]}`,
    );
  }
  return clamp(linear(normalize(embeddings), normalize(weight)), -1, 1);
}

/**
 * s * cosine, except in each row's label column, which holds s * margin(cosine there). The margin is
 * evaluated on the label cosines only (gather), then written with where(oneHot(labels), ...), which
 * gives the reference recipe's indexed write `out[range(B), label] = phi[range(B), label]` the same gradient:
 * the label slot's gradient goes through the margin, every other slot's straight to the cosine.
 */
export function marginLogits(
  head: string,
  cosine: Tensor,
  labels: Indices,
  scale: number,
  margin: (targetCosine: Tensor) => Tensor,
): Tensor {
  const [batch, classes] = cosine.shape;
  const indices = classLabels(head, labels, batch, classes);
  const column = new Tensor(Float32Array.from(indices), [batch, 1]);
  const target = margin(gather(cosine, 1, column));
  return mul(where(oneHot(indices, classes), target, cosine), scale);
}

/** Throws naming the head unless `value` is a finite number within [min, max). */
export function assertHeadOption(head: string, argument: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value >= max) {
    throw new Error(`${head}: ${argument} must be a finite number in [${min}, ${max}), got ${String(value)}`);
  }
}
