import fc from 'fast-check';
import { convOutSize } from './kernel-problems.js';

/**
 * The random problems of the cross-backend kernel suite, shared by the suite in Node
 * (kernel-suite.ts) and the same suite in a browser page (test/browser/kernel-suite-page.ts).
 */

/** Random batched matmuls: transposes and broadcast (batch stride 0) sides included. */
export const matmulArb = fc.record({
  batch: fc.integer({ min: 1, max: 3 }),
  m: fc.integer({ min: 1, max: 24 }),
  k: fc.integer({ min: 1, max: 40 }),
  n: fc.integer({ min: 1, max: 24 }),
  transposeA: fc.boolean(),
  transposeB: fc.boolean(),
  broadcastA: fc.boolean(),
  broadcastB: fc.boolean(),
  seed: fc.integer({ min: 0, max: 2 ** 30 }),
});

/** Grouped (including depthwise), strided, padded, non-square geometries with a non-empty output. */
export const convArb = fc
  .record({
    batch: fc.integer({ min: 1, max: 2 }),
    groups: fc.integer({ min: 1, max: 3 }),
    inPerGroup: fc.integer({ min: 1, max: 4 }),
    outPerGroup: fc.integer({ min: 1, max: 3 }),
    depthwise: fc.boolean(),
    inHeight: fc.integer({ min: 1, max: 12 }),
    inWidth: fc.integer({ min: 1, max: 12 }),
    kernelHeight: fc.integer({ min: 1, max: 7 }),
    kernelWidth: fc.integer({ min: 1, max: 7 }),
    strideHeight: fc.integer({ min: 1, max: 3 }),
    strideWidth: fc.integer({ min: 1, max: 3 }),
    paddingHeight: fc.integer({ min: 0, max: 3 }),
    paddingWidth: fc.integer({ min: 0, max: 3 }),
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
  })
  .map((r) => {
    const groups = r.depthwise ? r.groups * 2 : r.groups;
    const inPerGroup = r.depthwise ? 1 : r.inPerGroup;
    return {
      seed: r.seed,
      geometry: {
        batch: r.batch,
        inChannels: groups * inPerGroup,
        inHeight: r.inHeight,
        inWidth: r.inWidth,
        outChannels: groups * r.outPerGroup,
        kernelHeight: r.kernelHeight,
        kernelWidth: r.kernelWidth,
        strideHeight: r.strideHeight,
        strideWidth: r.strideWidth,
        paddingHeight: r.paddingHeight,
        paddingWidth: r.paddingWidth,
        groups,
        outHeight: convOutSize(r.inHeight, r.kernelHeight, r.strideHeight, r.paddingHeight),
        outWidth: convOutSize(r.inWidth, r.kernelWidth, r.strideWidth, r.paddingWidth),
      },
    };
  })
  .filter(({ geometry }) => geometry.outHeight >= 1 && geometry.outWidth >= 1);
