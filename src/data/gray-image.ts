/** A single-channel image: row-major pixels in [0, 1] (0 black, 1 white). */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Float32Array;
}

/** Makes a gray image, checking that the pixel count matches the size. */
export function grayImage(width: number, height: number, pixels?: Float32Array): GrayImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`grayImage: size must be positive integers, got ${width} x ${height}`);
  }
  const data = pixels ?? new Float32Array(width * height);
  if (data.length !== width * height) {
    throw new Error(`grayImage: ${width} x ${height} needs ${width * height} pixels, got ${data.length}`);
  }
  return { width, height, pixels: data };
}
