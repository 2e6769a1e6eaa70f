import { describe, expect, test } from 'vitest';
import { crossEntropy } from '../../src/losses/index.js';
import { Linear } from '../../src/nn/index.js';
import { add, conv2d, matmul, oneHot } from '../../src/ops/index.js';
import { arange, full, zeros } from '../../src/tensor/create.js';
import { allocate, freshStorage, setAllocator } from '../../src/tensor/dtype.js';
import { Tensor } from '../../src/tensor/tensor.js';

// Impossible shapes and sizes are errors that name the op and the shape, never V8's bare
// "Invalid typed array length" or "shape is not iterable".

describe('shapes a tensor cannot have', () => {
  test('a number where a shape belongs names the op and shows an example', () => {
    expect(() => zeros(5 as unknown as number[])).toThrow(
      /^zeros: shape must be an array of sizes \(for example \[2, 3\]\), got 5$/,
    );
  });

  test('negative, fractional and NaN sizes name the op the user called', () => {
    expect(() => zeros([2, -1])).toThrow('zeros: shape [2, -1] must hold non-negative integers');
    expect(() => full([1.5], 0)).toThrow('full: shape [1.5] must hold non-negative integers');
    expect(() => zeros([Number.NaN])).toThrow('zeros: shape [NaN] must hold non-negative integers');
  });

  test('a shape too large for one storage fails at once, with its element and byte counts', () => {
    expect(() => zeros([1e6, 1e6])).toThrow(
      /^zeros: shape \[1000000, 1000000\] has 1\.00e\+12 elements \(4\.00e\+12 bytes as float32\); one tensor holds at most 4294967296 elements$/,
    );
  });

  test('an op whose output would be too large names itself and the output shape, before allocating', () => {
    // Shapes that broadcast or expand are checked up front ...
    const tooLarge = (op: string, shape: string) =>
      new RegExp(
        `^${op}: shape \\[${shape}\\] has [0-9.e+]+ elements \\([0-9.e+]+ bytes as float32\\); one tensor holds at most`,
      );
    expect(() => zeros([1, 1]).expand([1e6, 1e6])).toThrow(tooLarge('expand', '1000000, 1000000'));
    expect(() => add(zeros([1e6, 1]), zeros([1, 1e6]))).toThrow(tooLarge('add', '1000000, 1000000'));
    // ... the others when V8 refuses the storage, which it does before taking any memory.
    const refused = (what: string, elements: number) =>
      new RegExp(
        `^${what}: cannot hold ${elements} float32 elements \\([0-9.e+]+ bytes\\): Invalid typed array length`,
      );
    expect(() => matmul(zeros([1e5, 1]), zeros([1, 1e5]))).toThrow(
      refused('matmul: output shape \\[100000, 100000\\]', 1e10),
    );
    expect(() => oneHot([0, 1], 1e10)).toThrow(refused('oneHot: shape \\[2, 10000000000\\]', 2e10));
    expect(() => conv2d(zeros([1, 1, 1, 1]), zeros([1, 1, 1, 1]), { padding: 1e5 })).toThrow(
      refused('conv2d: output shape \\[1, 1, 200001, 200001\\]', 200001 * 200001),
    );
    expect(() => arange(1e10)).toThrow(refused('arange: shape \\[10000000000\\]', 1e10));
  });

  test('an allocation refused within the size limit still names the op and the shape', () => {
    // Stands in for a host without the memory: the allocator hook fails as V8 does.
    setAllocator(() => {
      throw new RangeError('Array buffer allocation failed');
    });
    try {
      expect(() => zeros([2, 3])).toThrow(
        'zeros: shape [2, 3]: cannot hold 6 float32 elements (2.40e+1 bytes): Array buffer allocation failed',
      );
      const x = new Tensor(new Float32Array(2), [1, 2]);
      expect(() => matmul(x, new Tensor(new Float32Array(6), [2, 3]))).toThrow(
        /^matmul: output shape \[1, 3\]: cannot hold 3 float32 elements/,
      );
    } finally {
      setAllocator(freshStorage);
    }
  });

  test('an allocation V8 refuses says what was asked for', () => {
    expect(() => allocate('float64', 2 ** 40)).toThrow(
      /^allocate: cannot hold 1099511627776 float64 elements \(8\.80e\+12 bytes\): /,
    );
  });
});

describe('empty batches and huge state dicts', () => {
  test('a mean loss over an empty batch is an error, not NaN', () => {
    const logits = new Tensor(new Float32Array(0), [0, 3]);
    expect(() => crossEntropy(logits, [])).toThrow(
      'crossEntropy: the batch is empty; a mean over no samples is undefined',
    );
    expect(crossEntropy(logits, [], { reduction: 'sum' }).item()).toBe(0);
  });

  test('loadStateDict with 200,000 stray keys lists the first 20 and counts the rest', () => {
    const layer = new Linear(2, 2);
    const dict = new Map(layer.stateDict());
    for (let i = 0; i < 200_000; i++) dict.set(`stray.${i}`, zeros([1]));
    let message = '';
    try {
      layer.loadStateDict(dict);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('unexpected keys (200000):');
    expect(message).toContain('  stray.19\n  ... and 199980 more');
    expect(message).not.toContain('stray.20\n');
  });
});
