import { fc } from '@fast-check/vitest';
import type { DType } from '../../src/tensor/dtype.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { randomTensor, seedArb } from '../helpers/arbitraries.js';

/** A small head problem: embeddings [batch, features], class weights [classes, features], labels. */
export interface HeadProblem {
  embeddings: Tensor;
  weight: Tensor;
  labels: number[];
  s: number;
  m: number;
}

/** Random head problems (normal embeddings and weights from a seed, labels, s in [1, 64], m in [0.05, 1.2]). */
export function headProblemArb(dtype: DType = 'float64'): fc.Arbitrary<HeadProblem> {
  return fc
    .record({
      batch: fc.integer({ min: 1, max: 4 }),
      features: fc.integer({ min: 2, max: 6 }),
      classes: fc.integer({ min: 1, max: 5 }),
      seed: seedArb,
      s: fc.double({ min: 1, max: 64, noNaN: true }),
      m: fc.double({ min: 0.05, max: 1.2, noNaN: true }),
    })
    .chain(({ batch, features, classes, seed, s, m }) =>
      fc.array(fc.integer({ min: 0, max: classes - 1 }), { minLength: batch, maxLength: batch }).map((labels) => ({
        embeddings: randomTensor([batch, features], seed, { dtype }),
        weight: randomTensor([classes, features], seed + 1, { dtype }),
        labels,
        s,
        m,
      })),
    );
}

/** Element [row, column] of a 2-D tensor. */
export function at(t: Tensor, row: number, column: number): number {
  return t.data[row * t.shape[1] + column];
}
