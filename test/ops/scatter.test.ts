import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { gather } from '../../src/ops/gather.js';
import { oneHot } from '../../src/ops/one-hot.js';
import { scatter } from '../../src/ops/scatter.js';
import { type Tensor, tensor, zeros } from '../../src/tensor/index.js';
import { randomTensor, seedArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { indexedCaseArb } from './indexed-case.js';
import { product, ravel, unravel } from './multi-index.js';

/**
 * A scatter case whose index has no repeated position along dim (index length along dim at most
 * x's, values (offset + j) mod size with a random offset per fiber), so every src element lands.
 */
const distinctCaseArb = fc
  .array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 })
  .chain((shape) =>
    fc.integer({ min: 0, max: shape.length - 1 }).chain((dim) =>
      fc.tuple(...shape.map((size) => fc.integer({ min: 1, max: size }))).chain((indexShape) =>
        fc.record({
          shape: fc.constant(shape),
          dim: fc.constant(dim),
          indexShape: fc.constant(indexShape),
          offsets: fc.array(fc.nat(), { minLength: product(indexShape), maxLength: product(indexShape) }),
        }),
      ),
    ),
  )
  .map(({ shape, dim, indexShape, offsets }) => {
    const values = offsets.map((_, flat) => {
      const at = unravel(flat, indexShape);
      const fiberStart = [...at];
      fiberStart[dim] = 0;
      return (offsets[ravel(fiberStart, indexShape)] + at[dim]) % shape[dim];
    });
    return { shape, dim, indexShape, values };
  });

describe('scatter', () => {
  test.prop([indexedCaseArb, seedArb])(
    'writes src at indexed positions, last write winning, and leaves x elsewhere (manual replay)',
    ({ shape, dim, indexShape, values }, seed) => {
      const x = randomTensor(shape, seed);
      const src = randomTensor(indexShape, seed + 1);
      const out = scatter(x, dim, tensor(values, { shape: indexShape }), src);
      const expected = Array.from(x.data);
      for (let flat = 0; flat < values.length; flat++) {
        const at = unravel(flat, indexShape);
        at[dim] = values[flat];
        expected[ravel(at, shape)] = src.data[flat];
      }
      expect(out.shape).toEqual(shape);
      expect(Array.from(out.data)).toEqual(expected);
    },
  );

  test.prop([indexedCaseArb, seedArb])(
    'gradients for x and src equal finite differences, repeated indices included',
    ({ shape, dim, indexShape, values }, seed) => {
      const index = tensor(values, { shape: indexShape });
      const srcShape = indexShape.map((size) => size + (seed % 2));
      gradcheck((x, src) => scatter(x, dim, index, src), [randomTensor(shape, seed), randomTensor(srcShape, seed + 1)]);
    },
  );

  test.prop([distinctCaseArb, seedArb])(
    'with distinct indices, gather reads back src and the src gradient is the gathered output gradient',
    ({ shape, dim, indexShape, values }, seed) => {
      const index = tensor(values, { shape: indexShape });
      const x = randomTensor(shape, seed);
      const src = randomTensor(indexShape, seed + 1);
      const out = scatter(x, dim, index, src);
      expect(Array.from(gather(out, dim, index).data)).toEqual(Array.from(src.data));
      const outputGrad = randomTensor(shape, seed + 2, { requiresGrad: false });
      out.backward(outputGrad);
      expect(Array.from((src.grad as Tensor).data)).toEqual(Array.from(gather(outputGrad, dim, index).data));
    },
  );

  test.prop([
    fc
      .integer({ min: 1, max: 5 })
      .chain((classes) =>
        fc
          .array(fc.integer({ min: 0, max: classes - 1 }), { minLength: 1, maxLength: 6 })
          .map((labels) => ({ classes, labels })),
      ),
  ])('scattering the number 1 into zeros along classes equals oneHot', ({ classes, labels }) => {
    const index = tensor(labels, { shape: [labels.length, 1] });
    const out = scatter(zeros([labels.length, classes]), 1, index, 1);
    expect(Array.from(out.data)).toEqual(Array.from(oneHot(labels, classes).data));
  });

  test('rejects src smaller than index, bad indices and a non-finite number', () => {
    expect(() => scatter(zeros([2, 3]), 1, zeros([2, 2]), zeros([2, 1]))).toThrow(
      "scatter: index has shape [2, 2] but src has shape [2, 1]; src needs the same rank and at least index's size in every dim",
    );
    expect(() => scatter(zeros([2, 3]), 1, tensor([[3]]), zeros([1, 1]))).toThrow(
      'scatter: index 3 out of range for dim 1 of size 3',
    );
    expect(() => scatter(zeros([2, 3]), 1, tensor([[0]]), Number.NaN)).toThrow(
      'scatter: src must be a finite number, got NaN',
    );
    expect(() => scatter(zeros([2, 3]), 1, tensor([0]), 1)).toThrow(
      'scatter: index has rank 1 (shape [1]) but x has rank 2 (shape [2, 3])',
    );
  });
});
