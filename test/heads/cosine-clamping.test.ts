import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { arcFaceLogits, cosFaceLogits, marginSine } from '../../src/heads/index.js';
import { cosineSimilarity } from '../../src/heads/margin-logits.js';
import { focalLoss } from '../../src/losses/index.js';
import { linear, normalize } from '../../src/ops/index.js';
import type { DType } from '../../src/tensor/dtype.js';
import { tensor } from '../../src/tensor/index.js';
import { Generator } from '../../src/tensor/random.js';
import type { Tensor } from '../../src/tensor/tensor.js';

/**
 * Inputs built to hit |cos| = 1: each embedding is a random direction (some entries zeroed, so
 * vectors are zero-padded), scaled to a norm between 1e-6 and 1e6; the class weights hold a parallel
 * and an antiparallel copy of some embeddings (also rescaled), plus random rows.
 */
const boundaryArb = fc.record({
  dtype: fc.constantFrom<DType>('float32', 'float64'),
  batch: fc.integer({ min: 1, max: 4 }),
  features: fc.integer({ min: 1, max: 6 }),
  randomClasses: fc.integer({ min: 0, max: 2 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  s: fc.double({ min: 1, max: 64, noNaN: true }),
  m: fc.double({ min: 0, max: 1.5, noNaN: true }),
  easyMargin: fc.boolean(),
});

type BoundaryCase = typeof boundaryArb extends fc.Arbitrary<infer T> ? T : never;

function build({ dtype, batch, features, randomClasses, seed }: BoundaryCase) {
  const generator = new Generator(seed);
  const logNorm = () => 10 ** (-6 + 12 * generator.uniform());
  const direction = () => {
    const v = Array.from({ length: features }, () => (generator.uniform() < 0.3 ? 0 : generator.normal()));
    if (!v.some((e) => e !== 0)) v[generator.integer(0, features)] = 1;
    const norm = Math.hypot(...v);
    return v.map((e) => e / norm);
  };
  const embeddings = Array.from({ length: batch }, () => {
    const norm = logNorm();
    return direction().map((e) => e * norm);
  });
  const weights: number[][] = [];
  const labels: number[] = [];
  embeddings.forEach((e, i) => {
    const sign = i % 2 === 0 ? 1 : -1;
    const norm = logNorm();
    weights.push(e.map((v) => sign * v * norm));
    labels.push(generator.uniform() < 0.8 ? weights.length - 1 : 0);
  });
  for (let k = 0; k < randomClasses; k++) weights.push(direction().map((v) => v * logNorm()));
  return {
    x: tensor(embeddings, { dtype, requiresGrad: true }),
    w: tensor(weights, { dtype, requiresGrad: true }),
    labels,
  };
}

function allFinite(t: Tensor | null): boolean {
  return t?.data.every(Number.isFinite) ?? false;
}

describe('cosine clamping at (anti)parallel vectors and extreme norms', () => {
  test.prop([boundaryArb], { numRuns: 300 })(
    'cos stays in [-1, 1], sin in [0, 1], and both heads give finite logits and gradients',
    (options) => {
      const { x, w, labels } = build(options);
      const cosine = cosineSimilarity('test', x, w);
      for (const c of cosine.data) {
        expect(c).toBeGreaterThanOrEqual(-1);
        expect(c).toBeLessThanOrEqual(1);
      }
      for (const s of marginSine(cosine).data) {
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
      }
      const { s, m, easyMargin } = options;
      for (const logits of [cosFaceLogits(x, w, labels, { s, m }), arcFaceLogits(x, w, labels, { s, m, easyMargin })]) {
        x.grad = null;
        w.grad = null;
        expect(allFinite(logits)).toBe(true);
        focalLoss(logits, labels).backward();
        expect(allFinite(x.grad)).toBe(true);
        expect(allFinite(w.grad)).toBe(true);
      }
    },
  );

  test('the property reaches the boundary: float32 parallel pairs give cos exactly 1 and antiparallel exactly -1', () => {
    const x = tensor(
      [
        [2, 0, 0],
        [0, -3, 0],
      ],
      { dtype: 'float32' },
    );
    const w = tensor(
      [
        [0.5, 0, 0],
        [0, 7, 0],
      ],
      { dtype: 'float32' },
    );
    expect(Array.from(cosineSimilarity('test', x, w).data)).toEqual([1, 0, 0, -1]);
  });

  for (const dtype of ['float32', 'float64'] as const) {
    test(`exactly parallel and antiparallel targets (${dtype}): the target logit passes a zero gradient, not NaN`, () => {
      // cos = +1 (margin branch, sqrt'(0) taken as 0) and cos = -1 (fallback branch): in both cases the
      // cosine's own gradient (w^ - cos x^) / |x| vanishes, so the target logit contributes exactly 0.
      const x = tensor(
        [
          [2, 0, 0],
          [0, -3, 0],
        ],
        { dtype, requiresGrad: true },
      );
      const w = tensor(
        [
          [0.5, 0, 0],
          [0, 7, 0],
        ],
        { dtype, requiresGrad: true },
      );
      const logits = arcFaceLogits(x, w, [0, 1]);
      logits.backward(
        tensor(
          [
            [1, 0],
            [0, 1],
          ],
          { dtype },
        ),
      );
      expect(Array.from(x.grad?.data ?? [])).toEqual([0, 0, 0, 0, 0, 0]);
      expect(Array.from(w.grad?.data ?? [])).toEqual([0, 0, 0, 0, 0, 0]);
      expect(logits.data[0]).toBeCloseTo(30 * Math.cos(0.5), 4);
      expect(logits.data[3]).toBeCloseTo(30 * (-1 - Math.sin(Math.PI - 0.5) * 0.5), 4);
    });
  }

  test('cosines that rounding pushes past 1 are clamped to exactly 1 (float32 self-similarity)', () => {
    const generator = new Generator(3);
    let pushedPast = 0;
    for (let trial = 0; trial < 200; trial++) {
      const v = tensor([Array.from({ length: 7 }, () => generator.normal())], { dtype: 'float32' });
      const unit = normalize(v);
      const raw = linear(unit, unit).data[0];
      const clamped = cosineSimilarity('test', v, v).data[0];
      if (raw > 1) {
        pushedPast++;
        expect(clamped).toBe(1);
      } else {
        expect(clamped).toBe(raw);
      }
    }
    // The case this guards against is common, not hypothetical.
    expect(pushedPast).toBeGreaterThan(0);
  });
});
