import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { add, linear, matmul } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { randomTensor, seedArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';

const featuresArb = fc.integer({ min: 1, max: 4 });
const batchArb = fc.constantFrom<number[]>([], [3], [2, 3], [1, 2, 2]);

/** W^T built by index arithmetic, independent of the op under test. */
function transposed(w: Tensor): Tensor {
  const [rows, cols] = w.shape;
  const out = new Float64Array(w.size);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w.data[r * cols + c];
  return new Tensor(out, [cols, rows]);
}

describe('linear', () => {
  test.prop([batchArb, featuresArb, featuresArb, fc.boolean(), seedArb], { numRuns: 80 })(
    'gradients for input, weight and bias equal central finite differences, with batch dims (float64)',
    (batch, inFeatures, outFeatures, withBias, seed) => {
      const x = randomTensor([...batch, inFeatures], seed);
      const w = randomTensor([outFeatures, inFeatures], seed + 1);
      const b = randomTensor([outFeatures], seed + 2);
      if (withBias) gradcheck(linear, [x, w, b]);
      else gradcheck((p, q) => linear(p, q), [x, w]);
    },
  );

  test.prop([batchArb, featuresArb, featuresArb, seedArb], { numRuns: 50 })(
    'equals matmul(x, W^T) + b',
    (batch, inFeatures, outFeatures, seed) => {
      const x = randomTensor([...batch, inFeatures], seed, { requiresGrad: false });
      const w = randomTensor([outFeatures, inFeatures], seed + 1, { requiresGrad: false });
      const b = randomTensor([outFeatures], seed + 2, { requiresGrad: false });
      const out = linear(x, w, b);
      const expected = add(matmul(x, transposed(w)), b);
      expect(out.shape).toEqual(expected.shape);
      for (let i = 0; i < out.size; i++) expect(out.data[i]).toBeCloseTo(expected.data[i], 12);
    },
  );

  test('small case by hand', () => {
    const out = linear(
      tensor([[1, 2]]),
      tensor([
        [1, 0],
        [0, 1],
        [1, 1],
      ]),
      tensor([0, 10, 100]),
    );
    expect(out.toArray()).toEqual([[1, 12, 103]]);
  });

  test('rejects mismatched shapes naming the argument and both shapes', () => {
    const w = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(() => linear(tensor([[1, 2]]), w)).toThrow(
      'linear: input has shape [1, 2] but weight [2, 3] expects 3 features in the last dim',
    );
    expect(() => linear(tensor([[1, 2, 3]]), tensor([1, 2, 3]))).toThrow(
      'linear: weight must be 2-D [outFeatures, inFeatures], got shape [3]',
    );
    expect(() => linear(tensor([[1, 2, 3]]), w, tensor([1, 2, 3]))).toThrow(
      'linear: bias must have shape [2] to match weight [2, 3], got [3]',
    );
  });
});
