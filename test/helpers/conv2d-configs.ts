import fc from 'fast-check';

/** One random conv2d problem: shapes and geometry, all valid. */
export interface Conv2dConfig {
  batch: number;
  groups: number;
  inPerGroup: number;
  outPerGroup: number;
  inChannels: number;
  outChannels: number;
  height: number;
  width: number;
  kernelHeight: number;
  kernelWidth: number;
  stride: [number, number];
  padding: [number, number];
  withBias: boolean;
}

/**
 * Random valid convolutions: batch 1-2, groups dividing both channel
 * counts (depthwise when inPerGroup is 1), kernels 1..7 per side, stride 1..2, padding 0..3, and an
 * input just large enough for the padded kernel plus 0..3 rows and columns. Kept small so
 * finite-difference checks stay fast.
 */
export const conv2dConfigArb: fc.Arbitrary<Conv2dConfig> = fc
  .record({
    batch: fc.integer({ min: 1, max: 2 }),
    groups: fc.integer({ min: 1, max: 3 }),
    inPerGroup: fc.integer({ min: 1, max: 2 }),
    outPerGroup: fc.integer({ min: 1, max: 2 }),
    kernelHeight: fc.integer({ min: 1, max: 7 }),
    kernelWidth: fc.integer({ min: 1, max: 7 }),
    stride: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    padding: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
    extra: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
    withBias: fc.boolean(),
  })
  .map(({ extra, ...c }) => ({
    ...c,
    inChannels: c.groups * c.inPerGroup,
    outChannels: c.groups * c.outPerGroup,
    height: Math.max(1, c.kernelHeight - 2 * c.padding[0]) + extra[0],
    width: Math.max(1, c.kernelWidth - 2 * c.padding[1]) + extra[1],
  }));

/** The input shape [N, C, H, W] of a config. */
export function inputShapeOf(c: Conv2dConfig): number[] {
  return [c.batch, c.inChannels, c.height, c.width];
}

/** The weight shape [O, C / groups, kH, kW] of a config. */
export function weightShapeOf(c: Conv2dConfig): number[] {
  return [c.outChannels, c.inPerGroup, c.kernelHeight, c.kernelWidth];
}
