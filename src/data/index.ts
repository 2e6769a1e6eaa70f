/** data: image decoding, identity folders, transforms, the batch loader and synthetic faces. */
export { type Batch, BatchLoader, type BatchLoaderOptions } from './batch-loader.js';
export { type ContactSheetOptions, contactSheet, encodePng, writeContactSheet } from './contact-sheet.js';
export { decodeImage, detectImageFormat, type ImageFormat, imageExtensions, readImageFile } from './decode-image.js';
export { decodePgm, isPgm } from './decode-pgm.js';
export type { FaceIdentity, FaceVariation } from './face-traits.js';
export { type GrayImage, grayImage } from './gray-image.js';
export { rgbToGray } from './grayscale.js';
export { IdentityFolder, type IdentitySample } from './identity-folder.js';
export { ImageFileList } from './image-file-list.js';
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
export { writeFileAtomic } from './write-file-atomic.js';
