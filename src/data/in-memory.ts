/**
 * The parts of data that need no file system: images in memory, PGM bytes, transforms, the batch
 * loader and synthetic faces. The browser entry exports these; data/index.ts adds decoding from
 * disk, identity folders and file writing.
 */
export { type Batch, BatchLoader, type BatchLoaderOptions } from './batch-loader.js';
export { decodePgm, isPgm } from './decode-pgm.js';
export type { FaceIdentity, FaceVariation } from './face-traits.js';
export { type GrayImage, grayImage } from './gray-image.js';
export { rgbToGray } from './grayscale.js';
export { type DecodeImageOptions, defaultMaxImagePixels } from './image-limits.js';
export {
  type IdentitySelection,
  type LabeledImageSource,
  missingIdentities,
  parseIdentitySelection,
  selectIdentities,
} from './image-source.js';
export { mixSeed } from './mix-seed.js';
export { resizeBilinear } from './resize.js';
export { renderFace } from './synthetic-face-renderer.js';
export {
  SyntheticFaces,
  type SyntheticFacesOptions,
  sampleFaceIdentity,
  sampleFaceVariation,
} from './synthetic-faces.js';
export {
  crop,
  horizontalFlip,
  type ImageTransform,
  normalizeInto,
  testTransform,
  trainTransform,
} from './transforms.js';
