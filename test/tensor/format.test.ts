import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { mul } from '../../src/ops/index.js';
import { type DType, tensor } from '../../src/tensor/index.js';
import { readGolden } from '../golden/fixtures.js';

/** One case of test/fixtures/core/tensor-print.json, written by scripts/make_tensor_print_fixtures.py. */
interface PrintCase {
  name: string;
  dtype: DType;
  shape: number[];
  /** Flat values; NaN and the infinities are stored as the strings Number() reads. */
  data: (number | string)[];
  /** PyTorch's `str(t)` between `tensor(` and its suffixes. */
  text: string;
}

/** The values part of arcgrad's printout: between `tensor(` and `, shape=`. */
function valuesPart(printed: string): string {
  return printed.slice('tensor('.length, printed.lastIndexOf(', shape='));
}

describe('a tensor prints its values as PyTorch 1.13 does', () => {
  const golden = readGolden<PrintCase>('tensor-print.json');
  test.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const t = tensor(c.data.map(Number), { shape: c.shape, dtype: c.dtype });
    expect(valuesPart(t.toString())).toBe(c.text);
  });
});

describe('the printout names shape, dtype and gradient state', () => {
  test('a leaf that needs gradients', () => {
    expect(String(tensor([[1, 2]], { requiresGrad: true }))).toBe(
      'tensor([[1., 2.]], shape=[1, 2], dtype=float32, requiresGrad=true)',
    );
  });

  test('an op result names the op that made it', () => {
    const y = mul(tensor([1.5, 2], { dtype: 'float64', requiresGrad: true }), 2);
    expect(y.toString()).toBe('tensor([3., 4.], shape=[2], dtype=float64, requiresGrad=true, gradFn=mul)');
  });

  test('console.log and util.inspect show the same text as toString, not internal fields', () => {
    const t = tensor([[0.25, -1]]);
    expect(inspect(t)).toBe(t.toString());
    expect(inspect({ weight: t })).toContain('tensor([[ 0.2500, -1.0000]], shape=[1, 2], dtype=float32)');
    expect(inspect(t)).not.toContain('storage');
  });

  test('a large tensor is summarised, so printing never floods the terminal', () => {
    const printed = tensor(Array.from({ length: 100_000 }, (_, i) => i)).toString();
    expect(printed).toContain('...');
    expect(printed.length).toBeLessThan(200);
  });
});
