/**
 * arcgrad without Node's file system, workers or image files: the tensor engine, ops, layers,
 * models, heads, losses, optimizers, verification metrics and synthetic faces. This is the
 * package's entry under the `browser` and `default` export conditions; Node gets `index.ts`,
 * which adds files, image decoding, checkpoints and training on disk (also as `arcgrad/node`).
 */

export * from './backend/index.js';
export { type Batch, BatchLoader, type BatchLoaderOptions } from './data/batch-loader.js';
export { decodePgm, isPgm } from './data/decode-pgm.js';
export type { FaceIdentity, FaceVariation } from './data/face-traits.js';
export { type GrayImage, grayImage } from './data/gray-image.js';
export { rgbToGray } from './data/grayscale.js';
export { type LabeledImageSource, parseIdentitySelection, selectIdentities } from './data/image-source.js';
export { mixSeed } from './data/mix-seed.js';
export { resizeBilinear } from './data/resize.js';
export { renderFace } from './data/synthetic-face-renderer.js';
export {
  SyntheticFaces,
  type SyntheticFacesOptions,
  sampleFaceIdentity,
  sampleFaceVariation,
} from './data/synthetic-faces.js';
export {
  crop,
  horizontalFlip,
  type ImageTransform,
  normalizeInto,
  testTransform,
  trainTransform,
} from './data/transforms.js';
export * from './eval/index.js';
export * from './heads/index.js';
export * from './losses/index.js';
export * from './memory/index.js';
export * from './models/index.js';
export * from './nn/index.js';
export * from './ops/index.js';
export * from './optim/index.js';
export * from './tensor/index.js';
