/**
 * Default bound on the pixels an image header may claim: 64 megapixels, hundreds of times a face
 * photo, and still a bounded allocation (a float32 gray copy of 256 MB).
 */
export const defaultMaxImagePixels = 64_000_000;

/** Options of the image decoders. */
export interface DecodeImageOptions {
  /** Refuse images whose header claims more pixels (default `defaultMaxImagePixels`), before allocating. */
  maxPixels?: number;
}
