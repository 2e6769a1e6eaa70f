import { describe, expect, test } from 'vitest';
import { main } from '../../examples/05-cpu-vs-gpu.js';

// Small settings: the conv is ~0.6 MFLOP, which still runs on gpu.js because the example sets minFlops 0.
const r = await main({ batch: 1, channels: 4, side: 8, repeats: 1 });
const skipReason = r.unavailable === null ? '' : ` (skipped: the gpu backend cannot start here: ${r.unavailable})`;

describe(`example 05: cpu vs gpu${skipReason}`, () => {
  test.skipIf(r.unavailable !== null)('the gpu.js result equals the CPU result within float32 rounding', () => {
    expect(r.maxMagnitude).toBeGreaterThan(1);
    // Sums of 36 float32 products: a few ulps of the largest output.
    expect(r.maxDifference).toBeLessThan(1e-5 * (r.maxMagnitude as number));
  });

  test.skipIf(r.unavailable !== null)('it reports the gpu.js class that ran, and why it is not a GPU class', () => {
    const info = r.info as NonNullable<typeof r.info>;
    expect(info.calls[info.kernelClass]).toBeGreaterThanOrEqual(2);
    if (info.kernelClass === 'HeadlessGLKernel') expect(info.fallbackReason).toBeNull();
    else expect(info.fallbackReason).toMatch(/\S/);
    if (!process.env.DISPLAY) expect(info.kernelClass).not.toBe('HeadlessGLKernel');
  });
});
