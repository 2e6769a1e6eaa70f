import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { prelu } from '../../src/ops/index.js';
import { Tensor } from '../../src/tensor/index.js';

// prelu tests x > 0 on the float32 bit pattern (no branch per element); float64 inputs keep the
// plain comparison, which the gradchecks cover. This file pins the float32 path to the float64 one.

/** float32 values including the edge cases of the bit test: signed zeros, subnormals, infinities, NaN. */
const float32Value = fc.oneof(
  fc.float({ noDefaultInfinity: false, noNaN: false }),
  fc
    .constantFrom(0, -0, 1.4e-45, -1.4e-45, 1.1754942e-38, -1.1754942e-38, Infinity, -Infinity, Number.NaN)
    .map(Math.fround),
);

const caseArb = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 }))
  .chain(([n, c, inner]) =>
    fc.record({
      shape: fc.constant([n, c, inner]),
      x: fc.array(float32Value, { minLength: n * c * inner, maxLength: n * c * inner }),
      g: fc.array(fc.float({ noNaN: true, min: -4, max: 4 }), { minLength: n * c * inner, maxLength: n * c * inner }),
      slopes: fc.array(fc.float({ noNaN: true, min: -1, max: 1 }), { minLength: c, maxLength: c }),
    }),
  );

function run(shape: readonly number[], x: number[], g: number[], slopes: number[], dtype: 'float32' | 'float64') {
  const make = (values: number[], s: readonly number[], requiresGrad: boolean) =>
    new Tensor(dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values), s, requiresGrad);
  const input = make(x, shape, true);
  const weight = make(slopes, [slopes.length], true);
  const out = prelu(input, weight);
  out.backward(make(g, shape, false));
  return { out: out.data, gradX: input.grad?.data, gradW: weight.grad?.data };
}

describe('prelu float32 path', () => {
  test.prop([caseArb], { numRuns: 200 })(
    'forward and both gradients equal the float64 comparison path rounded to float32, bit for bit',
    ({ shape, x, g, slopes }) => {
      const single = run(shape, x, g, slopes, 'float32');
      const double = run(shape, x, g, slopes, 'float64');
      expect(Array.from(single.out)).toEqual(Array.from(Float32Array.from(double.out)));
      expect(Array.from(single.gradX ?? [])).toEqual(Array.from(Float32Array.from(double.gradX ?? [])));
      expect(Array.from(single.gradW ?? [])).toEqual(Array.from(Float32Array.from(double.gradW ?? [])));
    },
  );
});
