import fc from 'fast-check';
import type { DType } from '../../src/tensor/dtype.js';
import { allocate } from '../../src/tensor/dtype.js';
import { Generator } from '../../src/tensor/random.js';
import { sizeOf } from '../../src/tensor/shape.js';
import { Tensor } from '../../src/tensor/tensor.js';

/** A shape of rank minRank..maxRank with dims 1..maxDim. */
export function shapeArb(minRank = 0, maxRank = 3, maxDim = 4): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}

/** Two shapes that broadcast together: a base shape, and a copy with some dims set to 1 and leading dims dropped. */
export function broadcastPairArb(maxRank = 3, maxDim = 4): fc.Arbitrary<[number[], number[]]> {
  return shapeArb(0, maxRank, maxDim).chain((base) =>
    fc
      .tuple(
        fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }),
        fc.integer({ min: 0, max: base.length }),
        fc.boolean(),
      )
      .map(([ones, drop, swap]) => {
        const other = base.map((d, i) => (ones[i] ? 1 : d)).slice(drop);
        return (swap ? [other, base] : [base, other]) as [number[], number[]];
      }),
  );
}

/** A tensor of normal values drawn from a seeded generator (fast-check supplies the seed, so failures replay). */
export function randomTensor(
  shape: readonly number[],
  seed: number,
  options: { dtype?: DType; requiresGrad?: boolean; low?: number; high?: number } = {},
): Tensor {
  const generator = new Generator(seed);
  const data = allocate(options.dtype ?? 'float64', sizeOf(shape));
  const { low, high } = options;
  for (let i = 0; i < data.length; i++) {
    data[i] = low !== undefined && high !== undefined ? low + (high - low) * generator.uniform() : generator.normal();
  }
  return new Tensor(data, shape, options.requiresGrad ?? true);
}

/** A seed for randomTensor. */
export const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
