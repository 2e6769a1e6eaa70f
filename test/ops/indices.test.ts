import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { toIndexArray } from '../../src/ops/indices.js';
import { tensor } from '../../src/tensor/index.js';

describe('toIndexArray', () => {
  test('accepts a tensor of integers, a plain array and an Int32Array', () => {
    expect(
      Array.from(
        toIndexArray(
          'op',
          'index',
          tensor([
            [0, 2],
            [1, 1],
          ]),
          3,
        ),
      ),
    ).toEqual([0, 2, 1, 1]);
    expect(Array.from(toIndexArray('op', 'index', [4, 0]))).toEqual([4, 0]);
    expect(Array.from(toIndexArray('op', 'index', Int32Array.from([1, 2]), 3))).toEqual([1, 2]);
  });

  test('rejects non-integers naming the op, the argument, the value and its position', () => {
    expect(() => toIndexArray('gather', 'index', tensor([0, 1.5]))).toThrow(
      'gather: index must hold integers, got 1.5 at position 1',
    );
    expect(() => toIndexArray('oneHot', 'labels', [Number.NaN])).toThrow(
      'oneHot: labels must hold integers, got NaN at position 0',
    );
  });

  test('rejects values outside [0, bound), describing the range', () => {
    expect(() => toIndexArray('op', 'index', [0, 3], 3)).toThrow('op: index 3 out of range for [0, 3)');
    expect(() => toIndexArray('op', 'index', [-1], 3)).toThrow('op: index -1 out of range for [0, 3)');
    expect(() => toIndexArray('gather', 'index', [5], 3, 'dim 1 of size 3')).toThrow(
      'gather: index 5 out of range for dim 1 of size 3',
    );
  });

  test('rejects arguments that are not indices', () => {
    expect(() => toIndexArray('op', 'index', 'abc' as never)).toThrow(
      'op: index must be a Tensor, an array of integers or an Int32Array, got abc',
    );
  });
});
