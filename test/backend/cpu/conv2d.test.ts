import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { setCpuThreads } from '../../../src/backend/cpu/threads/pool.js';
import { convMismatch } from './conv-kernel-runner.js';
import { convOutSize, faceMobileNetLayers } from './problems.js';

/** Grouped (depthwise and one-channel-stem-like included), strided, padded, non-square geometries. */
const geometryArb = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    groups: fc.integer({ min: 1, max: 4 }),
    inPerGroup: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 5 })),
    outPerGroup: fc.integer({ min: 1, max: 4 }),
    inHeight: fc.integer({ min: 1, max: 13 }),
    inWidth: fc.integer({ min: 1, max: 13 }),
    kernelHeight: fc.integer({ min: 1, max: 7 }),
    kernelWidth: fc.integer({ min: 1, max: 7 }),
    strideHeight: fc.integer({ min: 1, max: 3 }),
    strideWidth: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 })),
    paddingHeight: fc.integer({ min: 0, max: 3 }),
    paddingWidth: fc.integer({ min: 0, max: 3 }),
  })
  .map((r) => {
    // strideWidth 0 stands for "same as strideHeight", so the specialised equal-stride kernels get half the cases.
    const strideWidth = r.strideWidth === 0 ? r.strideHeight : r.strideWidth;
    return {
      batch: r.batch,
      inChannels: r.groups * r.inPerGroup,
      inHeight: r.inHeight,
      inWidth: r.inWidth,
      outChannels: r.groups * r.outPerGroup,
      kernelHeight: r.kernelHeight,
      kernelWidth: r.kernelWidth,
      strideHeight: r.strideHeight,
      strideWidth,
      paddingHeight: r.paddingHeight,
      paddingWidth: r.paddingWidth,
      groups: r.groups,
      outHeight: convOutSize(r.inHeight, r.kernelHeight, r.strideHeight, r.paddingHeight),
      outWidth: convOutSize(r.inWidth, r.kernelWidth, strideWidth, r.paddingWidth),
    };
  })
  .filter((g) => g.outHeight >= 1 && g.outWidth >= 1);

/** Planewise convs (one input channel per group: depthwise, stem) hitting the specialised 3x3 stride 1/2 and 7x7 loops. */
const planewiseArb = fc
  .record({
    batch: fc.integer({ min: 1, max: 2 }),
    channels: fc.integer({ min: 1, max: 5 }),
    outPerGroup: fc.integer({ min: 1, max: 3 }),
    inHeight: fc.integer({ min: 1, max: 19 }),
    inWidth: fc.integer({ min: 1, max: 19 }),
    kernel: fc.constantFrom(3, 3, 3, 7, 1, 5),
    stride: fc.constantFrom(1, 2, 2, 3),
    padding: fc.integer({ min: 0, max: 3 }),
  })
  .map((r) => ({
    batch: r.batch,
    inChannels: r.channels,
    inHeight: r.inHeight,
    inWidth: r.inWidth,
    outChannels: r.channels * r.outPerGroup,
    kernelHeight: r.kernel,
    kernelWidth: r.kernel,
    strideHeight: r.stride,
    strideWidth: r.stride,
    paddingHeight: r.padding,
    paddingWidth: r.padding,
    groups: r.channels,
    outHeight: convOutSize(r.inHeight, r.kernel, r.stride, r.padding),
    outWidth: convOutSize(r.inWidth, r.kernel, r.stride, r.padding),
  }))
  .filter((g) => g.outHeight >= 1 && g.outWidth >= 1);

const seedArb = fc.integer({ min: 0, max: 2 ** 30 });

describe('optimised CPU conv2d kernels equal the reference loops (float32: abs 1e-4 + rel 1e-4; float64: 1e-10)', () => {
  test.prop([geometryArb, seedArb], { numRuns: 150 })(
    'forward, input gradient and weight gradient on random groups/kernels/strides/paddings, float32',
    (geometry, seed) => {
      expect(convMismatch(geometry, 'float32', seed)).toBeNull();
    },
  );

  test.prop([planewiseArb, seedArb], { numRuns: 150 })(
    'depthwise and one-channel (stem) convs: specialised 3x3 stride 1/2 and generic kxk loops, float32',
    (geometry, seed) => {
      expect(convMismatch(geometry, 'float32', seed)).toBeNull();
    },
  );

  test.prop([planewiseArb, seedArb], { numRuns: 50 })('the same in float64', (geometry, seed) => {
    expect(convMismatch(geometry, 'float64', seed)).toBeNull();
  });

  test.prop([geometryArb, seedArb], { numRuns: 60 })('random geometries in float64', (geometry, seed) => {
    expect(convMismatch(geometry, 'float64', seed)).toBeNull();
  });

  for (const { name, geometry } of faceMobileNetLayers(1)) {
    test(`FaceMobileNet layer ${name} (batch 1), float32, on 2 threads`, () => {
      setCpuThreads(2);
      expect(convMismatch(geometry, 'float32', 11)).toBeNull();
    });
  }
});
