import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { add } from '../../src/ops/arithmetic.js';
import { expand } from '../../src/ops/expand.js';
import { zeros } from '../../src/tensor/index.js';
import { randomTensor, seedArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';

/** A target shape, an input shape that expands to it (some dims 1, some leading dims dropped), and the target as written with -1 for some dims the input already has at full size. */
const expandCaseArb = fc
  .array(fc.integer({ min: 1, max: 3 }), { maxLength: 4 })
  .chain((target) =>
    fc.tuple(
      fc.constant(target),
      fc.array(fc.boolean(), { minLength: target.length, maxLength: target.length }),
      fc.integer({ min: 0, max: target.length }),
      fc.array(fc.boolean(), { minLength: target.length, maxLength: target.length }),
    ),
  )
  .map(([target, ones, drop, keepAsMinusOne]) => {
    const input = target.map((d, i) => (ones[i] ? 1 : d)).slice(drop);
    const written = target.map((d, i) => (i >= drop && !ones[i] && keepAsMinusOne[i] ? -1 : d));
    return { target, input, written };
  });

describe('expand', () => {
  test.prop([expandCaseArb, seedArb])(
    'equals broadcasting add with zeros of the target shape',
    ({ target, input, written }, seed) => {
      const x = randomTensor(input, seed);
      const out = expand(x, written);
      expect(out.shape).toEqual(target);
      expect(Array.from(out.data)).toEqual(Array.from(add(x, zeros(target, { dtype: 'float64' })).data));
    },
  );

  test.prop([expandCaseArb, seedArb])(
    'gradient (a sum over repeated dims) equals finite differences',
    ({ input, written }, seed) => {
      gradcheck((x) => expand(x, written), [randomTensor(input, seed)]);
    },
  );

  test('rejects a dim that is neither 1 nor the target size', () => {
    expect(() => expand(zeros([2, 3]), [4, 3])).toThrow(
      'expand: cannot expand [2, 3] to [4, 3]: dim 0 has size 2, expected 1 or 4',
    );
  });

  test('rejects fewer target dims, and -1 for a new leading dim', () => {
    expect(() => expand(zeros([2, 3]), [3])).toThrow('expand: target shape [3] has fewer dims than x [2, 3]');
    expect(() => expand(zeros([3]), [-1, 3])).toThrow(
      'expand: target shape [-1, 3] has size -1 at dim 0; expected a non-negative integer (-1 is only allowed for existing dims)',
    );
  });
});
