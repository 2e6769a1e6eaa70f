import { fc } from '@fast-check/vitest';
import { Generator } from '../../src/tensor/random.js';
import { sizeOf } from '../../src/tensor/shape.js';
import { Tensor } from '../../src/tensor/tensor.js';

/**
 * Inputs that keep central finite differences (eps 1e-6) away from the points where an op is not
 * differentiable: zero for abs/relu/sqrt/log, clamp bounds, and ties for max/maximum.
 */

/** float64 leaf with values of magnitude in [margin, margin + 2] and random signs (or all positive). */
export function awayFromZero(
  shape: readonly number[],
  seed: number,
  options: { positive?: boolean; margin?: number } = {},
) {
  const { positive = false, margin = 0.1 } = options;
  const generator = new Generator(seed);
  const data = new Float64Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) {
    const magnitude = margin + 2 * generator.uniform();
    data[i] = positive || generator.uniform() < 0.5 ? magnitude : -magnitude;
  }
  return new Tensor(data, shape, true);
}

/**
 * float64 leaf whose values are pairwise at least 0.05 apart (a shuffled grid plus small jitter), so
 * no two elements tie and max/argmax stay fixed under a 1e-6 perturbation.
 */
export function distinctValues(shape: readonly number[], seed: number, offset = 0): Tensor {
  const generator = new Generator(seed);
  const n = sizeOf(shape);
  const grid = generator.shuffle(Array.from({ length: n }, (_, i) => i));
  const data = Float64Array.from(grid, (k) => offset + 0.1 * (k - n / 2) + 0.04 * generator.uniform());
  return new Tensor(data, shape, true);
}

/** A reduction's dim argument for a tensor of `rank`: all dims, one (maybe negative) dim, or a list. */
export function reductionDimArb(rank: number): fc.Arbitrary<number | number[] | undefined> {
  if (rank === 0) return fc.constantFrom<number | number[] | undefined>(undefined, 0, -1, []);
  return fc.oneof(
    fc.constant(undefined),
    fc.integer({ min: -rank, max: rank - 1 }),
    fc
      .subarray(Array.from({ length: rank }, (_, i) => i))
      .chain((dims) => fc.shuffledSubarray(dims, { minLength: dims.length })),
  );
}

/** A single dim for a tensor of rank >= 1, negative or not. */
export function dimArb(rank: number): fc.Arbitrary<number> {
  return fc.integer({ min: -rank, max: rank - 1 });
}
