/**
 * Moving data between flat storage and gpu.js's 3-D views. Kernels address every tensor as
 * value[z][y][x] with x the innermost dimension, so gpu.js linearises indices with integer math:
 * its float32 index arithmetic reads the wrong element once a flat index passes 2^24.
 */

/** The largest number of multiply-adds one kernel invocation does per pass before the reduction is split. */
export const reductionChunk = 4096;

/** Copies a gpu.js [depth][height][width] result into `target` (flat, x fastest). */
export function copyVolume(result: unknown, width: number, height: number, depth: number, target: Float32Array): void {
  const planes = result as Float32Array[][];
  const total = width * height * depth;
  const first = planes[0][0];
  const last = planes[depth - 1][height - 1];
  // Memory-optimised GL results are consecutive views of one buffer: copy them in one go.
  if (first.buffer === last.buffer && last.byteOffset === first.byteOffset + (total - width) * 4) {
    target.set(new Float32Array(first.buffer, first.byteOffset, total));
    return;
  }
  let offset = 0;
  for (let z = 0; z < depth; z++) {
    const plane = planes[z];
    for (let y = 0; y < height; y++) {
      target.set(plane[y].subarray(0, width), offset);
      offset += width;
    }
  }
}

/**
 * Sums partial results laid out [outer][chunks][inner] over the chunk axis into out[outer][inner].
 * A JS number accumulates in float64, so splitting a reduction adds no rounding of its own.
 */
export function sumChunks(
  partial: Float32Array,
  outer: number,
  chunks: number,
  inner: number,
  out: Float32Array,
): void {
  if (chunks === 1) {
    out.set(partial.subarray(0, outer * inner));
    return;
  }
  for (let o = 0; o < outer; o++) {
    const base = o * chunks * inner;
    for (let e = 0; e < inner; e++) {
      let sum = 0;
      for (let c = 0; c < chunks; c++) sum += partial[base + c * inner + e];
      out[o * inner + e] = sum;
    }
  }
}
