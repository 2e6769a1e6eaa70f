import { fc } from '@fast-check/vitest';
import { product } from './multi-index.js';

/**
 * torch.gather's contract: x of rank 1..3, a dim, an index of the same rank that is no larger than x
 * outside dim (any length 1..4 along dim), holding values in [0, x.shape[dim]).
 */
export const indexedCaseArb = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }).chain((shape) =>
  fc.integer({ min: 0, max: shape.length - 1 }).chain((dim) =>
    fc
      .tuple(
        ...shape.map((size, k) => (k === dim ? fc.integer({ min: 1, max: 4 }) : fc.integer({ min: 1, max: size }))),
      )
      .chain((indexShape) =>
        fc.record({
          shape: fc.constant(shape),
          dim: fc.constant(dim),
          indexShape: fc.constant(indexShape),
          values: fc.array(fc.integer({ min: 0, max: shape[dim] - 1 }), {
            minLength: product(indexShape),
            maxLength: product(indexShape),
          }),
        }),
      ),
  ),
);
