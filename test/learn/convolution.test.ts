import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { main } from '../../examples/02-convolution.js';

describe('example 02: three formulations of conv2d', () => {
  test('the printed run: loops, im2col x matmul and conv2d agree (ordinary and depthwise)', () => {
    const r = main();
    expect(r.ordinary.shape).toEqual([2, 6, 5, 5]);
    expect(r.depthwise.shape).toEqual([2, 4, 9, 9]);
    for (const layer of [r.ordinary, r.depthwise]) {
      expect(layer.loopsVsIm2col).toBeLessThan(1e-12);
      expect(layer.loopsVsArcgrad).toBeLessThan(1e-12);
    }
  });

  test.prop(
    [
      fc.integer({ min: 1, max: 2 }),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 3, max: 8 }),
    ],
    {
      numRuns: 15,
    },
  )('agree for other sizes', (batch, channels, outChannels, side) => {
    const r = main({ batch, channels, outChannels, side });
    expect(r.ordinary.shape).toEqual([
      batch,
      outChannels,
      Math.floor((side - 1) / 2) + 1,
      Math.floor((side - 1) / 2) + 1,
    ]);
    for (const layer of [r.ordinary, r.depthwise]) {
      expect(layer.loopsVsIm2col).toBeLessThan(1e-12);
      expect(layer.loopsVsArcgrad).toBeLessThan(1e-12);
    }
  });
});
