import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { flatten, reshape, squeeze, unsqueeze, view } from '../../src/ops/reshape.js';
import { zeros } from '../../src/tensor/index.js';
import { randomTensor, seedArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';

/** A source shape and a target shape with the same element count: both group the same factors, the target in shuffled order, optionally with one -1. */
const reshapePairArb = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 5 })
  .chain((factors) =>
    fc.tuple(
      fc.constant(factors),
      fc.shuffledSubarray(factors, { minLength: factors.length, maxLength: factors.length }),
      fc.array(fc.boolean(), { minLength: factors.length, maxLength: factors.length }),
      fc.array(fc.boolean(), { minLength: factors.length, maxLength: factors.length }),
      fc.option(fc.nat(), { nil: undefined }),
    ),
  )
  .map(([factors, shuffled, cutsA, cutsB, inferAt]) => {
    const group = (fs: number[], cuts: boolean[]) => {
      const shape: number[] = [];
      fs.forEach((f, i) => {
        if (i === 0 || cuts[i]) shape.push(f);
        else shape[shape.length - 1] *= f;
      });
      return shape;
    };
    const from = group(factors, cutsA);
    const to = group(shuffled, cutsB);
    const target = to.slice();
    if (inferAt !== undefined && to.length > 0) target[inferAt % to.length] = -1;
    return { from, to, target };
  });

const rankedShapeArb = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 });

describe('reshape and view', () => {
  test.prop([reshapePairArb, seedArb])('keep the row-major elements and resolve -1', ({ from, to, target }, seed) => {
    const x = randomTensor(from, seed);
    const out = reshape(x, target);
    expect(out.shape).toEqual(to);
    expect(Array.from(out.data)).toEqual(Array.from(x.data));
    expect(view(x, target).shape).toEqual(to);
  });

  test.prop([reshapePairArb, seedArb])('gradient equals finite differences', ({ from, target }, seed) => {
    gradcheck((x) => reshape(x, target), [randomTensor(from, seed)]);
    gradcheck((x) => view(x, target), [randomTensor(from, seed)]);
  });

  test('shares the input storage, since tensors are never mutated', () => {
    const x = zeros([2, 3]);
    expect(reshape(x, [3, 2]).data).toBe(x.data);
  });

  test('rejects a different element count naming both shapes', () => {
    expect(() => reshape(zeros([2, 3]), [4, 2])).toThrow(
      'reshape: cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)',
    );
    expect(() => view(zeros([2, 3]), [5])).toThrow('view: cannot reshape [2, 3] (6 elements) to [5] (5 elements)');
  });

  test('rejects an -1 that cannot be inferred, two -1s, and bad sizes', () => {
    expect(() => reshape(zeros([2, 3]), [4, -1])).toThrow(
      'reshape: cannot reshape [2, 3] (6 elements) to [4, -1]: 6 is not a multiple of 4',
    );
    expect(() => reshape(zeros([2, 3]), [-1, -1])).toThrow('reshape: only one dimension can be -1, got [-1, -1]');
    expect(() => reshape(zeros([2, 3]), [2, 1.5])).toThrow(
      'reshape: shape [2, 1.5] must hold non-negative integers or a single -1',
    );
  });
});

describe('flatten', () => {
  test.prop([rankedShapeArb, fc.nat(), fc.nat(), seedArb])(
    'merges dims startDim..endDim and its gradient equals finite differences',
    (shape, a, b, seed) => {
      const start = Math.min(a, b) % shape.length;
      const end = start + (Math.max(a, b) % (shape.length - start));
      const x = randomTensor(shape, seed);
      const merged = shape.slice(start, end + 1).reduce((p, q) => p * q, 1);
      expect(flatten(x, start, end).shape).toEqual([...shape.slice(0, start), merged, ...shape.slice(end + 1)]);
      expect(flatten(x, start - shape.length, end - shape.length).shape).toEqual(flatten(x, start, end).shape);
      gradcheck((t) => flatten(t, start, end), [x]);
    },
  );

  test('flattens everything by default, and a scalar to one element', () => {
    expect(flatten(zeros([2, 3, 4])).shape).toEqual([24]);
    expect(flatten(zeros([])).shape).toEqual([1]);
  });

  test('rejects startDim after endDim and dims out of range', () => {
    expect(() => flatten(zeros([2, 3, 4]), 2, 1)).toThrow('flatten: startDim 2 must not come after endDim 1 (rank 3)');
    expect(() => flatten(zeros([2, 3]), 0, 2)).toThrow('flatten: dim 2 is out of range for a tensor of rank 2');
  });
});

describe('squeeze and unsqueeze', () => {
  test.prop([fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }), fc.nat(), seedArb])(
    'unsqueeze inserts a 1 that squeeze(dim) removes; gradients equal finite differences',
    (shape, at, seed) => {
      const dim = at % (shape.length + 1);
      const x = randomTensor(shape, seed);
      const grown = unsqueeze(x, dim);
      expect(grown.shape).toEqual([...shape.slice(0, dim), 1, ...shape.slice(dim)]);
      expect(unsqueeze(x, dim - shape.length - 1).shape).toEqual(grown.shape);
      expect(squeeze(grown, dim).shape).toEqual(shape);
      gradcheck((t) => unsqueeze(t, dim), [x]);
      gradcheck((t) => squeeze(t, dim), [randomTensor(grown.shape, seed)]);
    },
  );

  test.prop([fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 5 }), seedArb])(
    'squeeze() removes every size-1 dim and keeps the rest in order',
    (shape, seed) => {
      const x = randomTensor(shape, seed);
      expect(squeeze(x).shape).toEqual(shape.filter((d) => d !== 1));
      gradcheck((t) => squeeze(t), [x]);
    },
  );

  test('squeeze(dim) of a dim larger than 1 leaves the shape alone, like torch', () => {
    expect(squeeze(zeros([2, 3]), 1).shape).toEqual([2, 3]);
  });

  test('rejects dims out of range', () => {
    expect(() => unsqueeze(zeros([2]), 2)).toThrow(
      'unsqueeze: dim 2 is out of range [-2, 1] for inserting into a tensor of rank 1',
    );
    expect(() => squeeze(zeros([2, 1]), -3)).toThrow('squeeze: dim -3 is out of range for a tensor of rank 2');
  });
});
