import type { GrayImage } from '../data/gray-image.js';
import { resizeBilinear } from '../data/resize.js';
import { horizontalFlip, normalizeInto } from '../data/transforms.js';
import { noGrad, Tensor } from '../tensor/index.js';
import { l2Normalize } from './l2-normalize.js';

/** What `embedImage` needs of a model: FaceMobileNet, or any module of the same contract. */
export interface EmbeddingModel {
  /** The square input side the model expects. */
  readonly inputSize: number;
  /** Training mode would make batch norm use this one image's statistics instead of the learned ones. */
  readonly training?: boolean;
  /** Maps images [N, 1, S, S] to embeddings [N, D]. */
  forward(images: Tensor): Tensor;
}

/** Options of `embedImage`. */
export interface EmbedImageOptions {
  /** Flip test-time augmentation: add the mirror image's embedding before normalising. */
  flip?: boolean;
}

/**
 * The unit-length embedding of one image: resized to the model's side (the reference recipe's test
 * transform), normalised to [-1, 1] and, with `flip`, embedded together with its mirror image and
 * the two embeddings summed; then scaled to length 1, so a dot product of two is their cosine.
 */
export function embedImage(model: EmbeddingModel, image: GrayImage, options: EmbedImageOptions = {}): Float32Array {
  if (model.training) {
    throw new Error(
      'embedImage: the model is in training mode; call model.eval() first (batch norm would use this image alone)',
    );
  }
  const side = model.inputSize;
  const resized = resizeBilinear(image, side, side);
  const views = options.flip ? [resized, horizontalFlip(resized)] : [resized];
  const pixels = new Float32Array(views.length * side * side);
  views.forEach((view, i) => {
    normalizeInto(view, pixels, i * side * side);
  });
  const embeddings = noGrad(() => model.forward(new Tensor(pixels, [views.length, 1, side, side])));
  if (embeddings.ndim !== 2 || embeddings.shape[0] !== views.length) {
    throw new Error(
      `embedImage: the model returned shape [${embeddings.shape.join(', ')}] for ${views.length} images, expected [${views.length}, D]`,
    );
  }
  const dims = embeddings.shape[1];
  const sum = new Float32Array(dims);
  for (let v = 0; v < views.length; v++) for (let d = 0; d < dims; d++) sum[d] += embeddings.data[v * dims + d];
  return l2Normalize(sum);
}
