import { allocate } from '../tensor/dtype.js';
import { Tensor } from '../tensor/index.js';
import { formatShape } from '../tensor/shape.js';

/**
 * A batch of images [B, C, H, W] mirrored left to right, for flip test-time augmentation. Not
 * differentiable: it is only used on inputs at evaluation time.
 */
export function mirrorImages(images: Tensor): Tensor {
  if (images.ndim !== 4)
    throw new Error(`mirrorImages: expected images [B, C, H, W], got ${formatShape(images.shape)}`);
  const width = images.shape[3];
  const source = images.data;
  const out = allocate(images.dtype, images.size);
  for (let row = 0; row < images.size; row += width) {
    for (let x = 0; x < width; x++) out[row + x] = source[row + width - 1 - x];
  }
  return new Tensor(out, images.shape);
}
