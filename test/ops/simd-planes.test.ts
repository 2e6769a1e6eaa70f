import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { getCpuSimd, setCpuSimd } from '../../src/backend/index.js';
import { batchNorm, prelu } from '../../src/ops/index.js';
import { Tensor } from '../../src/tensor/index.js';
import { Generator } from '../../src/tensor/random.js';

// batchNorm and prelu run their float32 plane loops on WebAssembly SIMD while SIMD is on
// (src/backend/cpu/simd-planes.ts). These properties pin that path to the TypeScript loops
// (SIMD off): prelu bit for bit; batchNorm within 1e-6 of the largest value, since its float64
// sums add in another order (two lanes) and may move a result by one float32 rounding.

const simdWasOn = getCpuSimd();
afterAll(() => setCpuSimd(simdWasOn));

const specials = [0, -0, Infinity, -Infinity, Number.NaN, 1.4e-45, -1.4e-45];

function values(size: number, seed: number, withSpecials: boolean): Float32Array {
  const generator = new Generator(seed);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = generator.normal() * 2;
  if (withSpecials) for (let i = 0; i < size; i += 7) data[i] = specials[(i / 7) % specials.length];
  return data;
}

/** Forward output and every gradient of `op` with SIMD on or off. */
function outputs(simd: boolean, op: (inputs: Tensor[]) => Tensor, inputs: () => Tensor[], g: Float32Array) {
  setCpuSimd(simd);
  const tensors = inputs();
  const out = op(tensors);
  out.backward(new Tensor(g, out.shape));
  return [out.data, ...tensors.map((t) => t.grad?.data ?? new Float32Array(0))];
}

function largestGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let gap = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    gap = Math.max(gap, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return gap / Math.max(scale, 1e-30);
}

const shapeArb = fc.record({
  batch: fc.integer({ min: 1, max: 3 }),
  channels: fc.integer({ min: 1, max: 4 }),
  inner: fc.integer({ min: 1, max: 70 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
});

describe('WebAssembly SIMD plane loops for batchNorm and prelu', () => {
  test.prop([shapeArb], { numRuns: 60 })(
    'prelu on SIMD equals the TypeScript loops bit for bit, with signed zeros, infinities, NaN and subnormals',
    ({ batch, channels, inner, seed }) => {
      const shape = [batch, channels, inner];
      const size = batch * channels * inner;
      const x = values(size, seed, true);
      const slopes = values(channels, seed + 1, false).map((v) => v / 4);
      const g = values(size, seed + 2, false);
      const inputs = () => [new Tensor(x.slice(), shape, true), new Tensor(slopes.slice(), [channels], true)];
      const run = (simd: boolean) => outputs(simd, ([input, weight]) => prelu(input, weight), inputs, g);
      const [simdOut, simdGradX, simdGradW] = run(true);
      const [plainOut, plainGradX, plainGradW] = run(false);
      expect(Array.from(simdOut)).toEqual(Array.from(plainOut));
      expect(Array.from(simdGradX)).toEqual(Array.from(plainGradX));
      // Slope sums are float64 in both, added in another order: the same infinities and NaNs, and
      // finite sums within 1e-6.
      const special = (v: ArrayLike<number>) => Array.from(v).map((value) => (Number.isFinite(value) ? 0 : value));
      const finite = (v: ArrayLike<number>) => Array.from(v).map((value) => (Number.isFinite(value) ? value : 0));
      expect(special(simdGradW)).toEqual(special(plainGradW));
      expect(largestGap(finite(simdGradW), finite(plainGradW))).toBeLessThan(1e-6);
    },
  );

  test.prop([shapeArb, fc.boolean()], { numRuns: 60 })(
    'batchNorm (training and eval) on SIMD matches the TypeScript loops within 1e-6, gradients included',
    ({ batch, channels, inner, seed }, training) => {
      fc.pre(!training || batch * inner > 1);
      const shape = [batch, channels, inner];
      const size = batch * channels * inner;
      const x = values(size, seed, false).map((v, i) => v + (i % 3));
      const g = values(size, seed + 2, false);
      const gamma = values(channels, seed + 3, false);
      const beta = values(channels, seed + 4, false);
      const running = () => ({
        runningMean: new Tensor(values(channels, seed + 5, false), [channels]),
        runningVar: new Tensor(
          values(channels, seed + 6, false).map((v) => 1 + Math.abs(v)),
          [channels],
        ),
      });
      const inputs = () => [
        new Tensor(x.slice(), shape, true),
        new Tensor(gamma.slice(), [channels], true),
        new Tensor(beta.slice(), [channels], true),
      ];
      const simdRunning = running();
      const plainRunning = running();
      const run = (simd: boolean, stats: ReturnType<typeof running>) =>
        outputs(simd, ([input, weight, bias]) => batchNorm(input, { weight, bias, training, ...stats }), inputs, g);
      const simdResults = run(true, simdRunning);
      const plainResults = run(false, plainRunning);
      simdResults.forEach((result, i) => {
        expect(largestGap(result, plainResults[i])).toBeLessThan(1e-6);
      });
      expect(largestGap(simdRunning.runningVar.data, plainRunning.runningVar.data)).toBeLessThan(1e-6);
    },
  );

  test('a tensor larger than the staging memory grows it (1.7 M elements through both ops)', () => {
    const shape = [2, 3, 280_000];
    const size = 2 * 3 * 280_000;
    const x = values(size, 9, false);
    const g = values(size, 10, false);
    const both = (input: Tensor) =>
      prelu(batchNorm(input, { training: true }), new Tensor(new Float32Array([0.25]), [1]));
    const run = (simd: boolean) =>
      outputs(
        simd,
        ([input]) => both(input),
        () => [new Tensor(x.slice(), shape, true)],
        g,
      );
    const simdResults = run(true);
    const plainResults = run(false);
    simdResults.forEach((result, i) => {
      expect(largestGap(result, plainResults[i])).toBeLessThan(1e-6);
    });
  });
});
