import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { arcFaceLogits, arcFaceMargin, cosFaceLogits } from '../../src/heads/index.js';
import { cosineSimilarity } from '../../src/heads/margin-logits.js';
import { focalLoss } from '../../src/losses/index.js';
import { mul } from '../../src/ops/index.js';
import type { DType } from '../../src/tensor/dtype.js';
import { tensor } from '../../src/tensor/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { at, type HeadProblem, headProblemArb } from './head-arbitraries.js';

const dtypeArb = fc.constantFrom<DType>('float32', 'float64');
const problemArb = dtypeArb.chain((dtype) => headProblemArb(dtype));

type Head = 'CosFace' | 'ArcFace';
const heads: Head[] = ['CosFace', 'ArcFace'];

function logitsOf(head: Head, x: Tensor, w: Tensor, p: HeadProblem): Tensor {
  return head === 'CosFace'
    ? cosFaceLogits(x, w, p.labels, { s: p.s, m: p.m })
    : arcFaceLogits(x, w, p.labels, { s: p.s, m: p.m });
}

function scaled(t: Tensor, factor: number): Tensor {
  return new Tensor(
    t.data.map((v) => v * factor),
    t.shape,
    t.requiresGrad,
  );
}

describe('margin heads: what every logit is', () => {
  test.prop([problemArb], { numRuns: 150 })(
    'non-target logits equal s*cos exactly; targets are s*(cos - m) (CosFace) and s*phi(cos) (ArcFace)',
    (p) => {
      const { embeddings: x, weight: w, labels, s, m } = p;
      const cosine = cosineSimilarity('test', x, w);
      const plain = mul(cosine, s);
      const cos = logitsOf('CosFace', x, w, p);
      const arc = logitsOf('ArcFace', x, w, p);
      const round = x.dtype === 'float32' ? Math.fround : (v: number) => v;
      labels.forEach((label, i) => {
        for (let j = 0; j < w.shape[0]; j++) {
          if (j === label) continue;
          expect(at(cos, i, j)).toBe(at(plain, i, j));
          expect(at(arc, i, j)).toBe(at(plain, i, j));
        }
        const c = at(cosine, i, label);
        expect(at(cos, i, label)).toBe(round(round(c - round(m)) * round(s)));
        const phi = arcFaceMargin(tensor([c], { dtype: x.dtype }), { m }).data[0];
        expect(at(arc, i, label)).toBe(round(phi * round(s)));
      });
    },
  );

  test.prop([problemArb, fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 })], { numRuns: 100 })(
    'logits are unchanged, bit for bit, when embeddings or class weights are scaled by powers of two',
    (p, embeddingExponent, weightExponent) => {
      for (const head of heads) {
        const base = logitsOf(head, p.embeddings, p.weight, p);
        const moved = logitsOf(
          head,
          scaled(p.embeddings, 2 ** embeddingExponent),
          scaled(p.weight, 2 ** weightExponent),
          p,
        );
        expect(Array.from(moved.data)).toEqual(Array.from(base.data));
      }
    },
  );

  test.prop(
    [
      headProblemArb('float64'),
      fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
      fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
    ],
    { numRuns: 100 },
  )('logits are unchanged (to rounding) under any positive scaling of embeddings or weights (float64)', (p, a, b) => {
    const threshold = Math.cos(Math.PI - p.m);
    const cosine = cosineSimilarity('test', p.embeddings, p.weight);
    // Within rounding of the ArcFace kink a rescale may legitimately flip the branch.
    fc.pre(p.labels.every((label, i) => Math.abs(at(cosine, i, label) - threshold) > 1e-9));
    for (const head of heads) {
      const base = logitsOf(head, p.embeddings, p.weight, p);
      const moved = logitsOf(head, scaled(p.embeddings, a), scaled(p.weight, b), p);
      base.data.forEach((v, k) => {
        expect(Math.abs(moved.data[k] - v)).toBeLessThanOrEqual(1e-12 * p.s);
      });
    }
  });
});

describe('margin heads: gradients', () => {
  test.prop([headProblemArb('float64')], { numRuns: 100 })(
    'the gradient w.r.t. each embedding (and each class weight) is orthogonal to it: logits see directions only',
    (p) => {
      for (const head of heads) {
        const x = new Tensor(p.embeddings.data.slice(), p.embeddings.shape, true);
        const w = new Tensor(p.weight.data.slice(), p.weight.shape, true);
        focalLoss(logitsOf(head, x, w, p), p.labels).backward();
        for (const [t, grad] of [
          [x, x.grad],
          [w, w.grad],
        ] as const) {
          const [rows, columns] = t.shape;
          for (let r = 0; r < rows; r++) {
            let dot = 0;
            let gradNorm = 0;
            let norm = 0;
            for (let c = 0; c < columns; c++) {
              const g = grad?.data[r * columns + c] ?? Number.NaN;
              const v = t.data[r * columns + c];
              dot += g * v;
              gradNorm += g * g;
              norm += v * v;
            }
            expect(Math.abs(dot)).toBeLessThanOrEqual(1e-10 * Math.sqrt(gradNorm * norm) + 1e-300);
          }
        }
      }
    },
  );

  test.prop([headProblemArb('float64'), fc.boolean()], { numRuns: 60 })(
    'float64 gradient checks of both heads (and the easy margin) away from the kink and from |cos| = 1',
    (p, easyMargin) => {
      const threshold = Math.cos(Math.PI - p.m);
      const cosine = cosineSimilarity('test', p.embeddings, p.weight);
      fc.pre(
        p.labels.every((label, i) => {
          const c = at(cosine, i, label);
          return Math.abs(c - threshold) > 1e-3 && Math.abs(c) < 1 - 1e-3 && (!easyMargin || Math.abs(c) > 1e-3);
        }),
      );
      gradcheck((x, w) => cosFaceLogits(x, w, p.labels, { s: p.s, m: p.m }), [p.embeddings, p.weight]);
      gradcheck((x, w) => arcFaceLogits(x, w, p.labels, { s: p.s, m: p.m, easyMargin }), [p.embeddings, p.weight]);
    },
  );
});
