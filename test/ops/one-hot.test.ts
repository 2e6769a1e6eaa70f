import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { oneHot } from '../../src/ops/one-hot.js';
import { tensor } from '../../src/tensor/index.js';

const labelsArb = fc.integer({ min: 1, max: 6 }).chain((classes) =>
  fc.record({
    classes: fc.constant(classes),
    labels: fc.array(fc.integer({ min: 0, max: classes - 1 }), { maxLength: 8 }),
  }),
);

describe('oneHot', () => {
  test.prop([labelsArb])('each row sums to 1 and holds its 1 at the label', ({ classes, labels }) => {
    const out = oneHot(labels, classes);
    expect(out.shape).toEqual([labels.length, classes]);
    expect(out.dtype).toBe('float32');
    expect(out.requiresGrad).toBe(false);
    labels.forEach((label, row) => {
      const values = Array.from(out.data.subarray(row * classes, (row + 1) * classes));
      expect(values.reduce((a, b) => a + b, 0)).toBe(1);
      expect(values[label]).toBe(1);
    });
  });

  test('a labels tensor of shape S gives shape [...S, numClasses], like torch.nn.functional.one_hot', () => {
    expect(
      oneHot(
        tensor([
          [0, 2],
          [1, 1],
        ]),
        3,
      ).toArray(),
    ).toEqual([
      [
        [1, 0, 0],
        [0, 0, 1],
      ],
      [
        [0, 1, 0],
        [0, 1, 0],
      ],
    ]);
  });

  test('rejects labels out of range or not integers, and a bad class count', () => {
    expect(() => oneHot([0, 5], 5)).toThrow('oneHot: labels 5 out of range for 5 classes');
    expect(() => oneHot(tensor([0.5]), 2)).toThrow('oneHot: labels must hold integers, got 0.5 at position 0');
    expect(() => oneHot([0], 0)).toThrow('oneHot: numClasses must be a positive integer, got 0');
  });
});
