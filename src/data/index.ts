/** data: image decoding, identity folders, transforms, the batch loader and synthetic faces. */
export { type ContactSheetOptions, contactSheet, encodePng, writeContactSheet } from './contact-sheet.js';
export { decodeImage, detectImageFormat, type ImageFormat, imageExtensions, readImageFile } from './decode-image.js';
export { IdentityFolder, type IdentitySample } from './identity-folder.js';
export { ImageFileList } from './image-file-list.js';
export * from './in-memory.js';
export { writeFileAtomic } from './write-file-atomic.js';
