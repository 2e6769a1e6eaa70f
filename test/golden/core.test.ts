import { afterAll, describe, test } from 'vitest';
import { conv2d, logSoftmax, matmul } from '../../src/ops/index.js';
import { compareToGolden, type Differences, fromStored, readGolden, type StoredTensor } from './fixtures.js';

/**
 * Golden values from PyTorch 1.13 (float32), written by scripts/make_golden_core.py into
 * test/fixtures/core/. arcgrad's float32 forward and gradients must match them within
 * abs 1e-6 + rel 1e-5 (torch.allclose's rule). Each backward uses the stored upstream gradient.
 */

interface Conv2dCase {
  name: string;
  stride: number | [number, number];
  padding: number | [number, number];
  groups: number;
  input: StoredTensor;
  weight: StoredTensor;
  bias?: StoredTensor;
  gradOutput: StoredTensor;
  output: StoredTensor;
  gradInput: StoredTensor;
  gradWeight: StoredTensor;
  gradBias?: StoredTensor;
}

interface MatmulCase {
  name: string;
  a: StoredTensor;
  b: StoredTensor;
  gradOutput: StoredTensor;
  output: StoredTensor;
  gradA: StoredTensor;
  gradB: StoredTensor;
}

interface LogSoftmaxCase {
  name: string;
  dim: number;
  input: StoredTensor;
  gradOutput: StoredTensor;
  output: StoredTensor;
  gradInput: StoredTensor;
}

const worst = new Map<string, Differences>();

/** Compares and remembers the largest differences per op, printed once at the end. */
function check(op: string, label: string, ...args: Parameters<typeof compareToGolden>): void {
  const found = compareToGolden(`${op} ${label}: ${args[0]}`, args[1], args[2]);
  const seen = worst.get(op) ?? { maxAbs: 0, maxToleranceUsed: 0 };
  worst.set(op, {
    maxAbs: Math.max(seen.maxAbs, found.maxAbs),
    maxToleranceUsed: Math.max(seen.maxToleranceUsed, found.maxToleranceUsed),
  });
}

afterAll(() => {
  for (const [op, d] of worst) {
    const used = (100 * d.maxToleranceUsed).toFixed(0);
    console.log(`golden ${op}: max |diff| ${d.maxAbs.toExponential(2)}, at most ${used}% of the allowed difference`);
  }
});

const conv2dGolden = readGolden<Conv2dCase>('conv2d.json');
describe(`conv2d matches PyTorch ${conv2dGolden.torch} (${conv2dGolden.generator})`, () => {
  test.each(conv2dGolden.cases.map((c) => [c.name, c] as const))('%s: forward and gradients', (name, c) => {
    const x = fromStored(c.input, true);
    const weight = fromStored(c.weight, true);
    const bias = c.bias && fromStored(c.bias, true);
    const out = conv2d(x, weight, { bias, stride: c.stride, padding: c.padding, groups: c.groups });
    check('conv2d', name, 'output', out, c.output);
    out.backward(fromStored(c.gradOutput));
    check('conv2d', name, 'gradInput', x.grad, c.gradInput);
    check('conv2d', name, 'gradWeight', weight.grad, c.gradWeight);
    if (bias && c.gradBias) check('conv2d', name, 'gradBias', bias.grad, c.gradBias);
  });
});

const matmulGolden = readGolden<MatmulCase>('matmul.json');
describe(`matmul matches PyTorch ${matmulGolden.torch} (${matmulGolden.generator})`, () => {
  test.each(matmulGolden.cases.map((c) => [c.name, c] as const))('%s: forward and gradients', (name, c) => {
    const a = fromStored(c.a, true);
    const b = fromStored(c.b, true);
    const out = matmul(a, b);
    check('matmul', name, 'output', out, c.output);
    out.backward(fromStored(c.gradOutput));
    check('matmul', name, 'gradA', a.grad, c.gradA);
    check('matmul', name, 'gradB', b.grad, c.gradB);
  });
});

const logSoftmaxGolden = readGolden<LogSoftmaxCase>('log-softmax.json');
describe(`logSoftmax matches PyTorch ${logSoftmaxGolden.torch} (${logSoftmaxGolden.generator})`, () => {
  test.each(logSoftmaxGolden.cases.map((c) => [c.name, c] as const))('%s: forward and gradient', (name, c) => {
    const x = fromStored(c.input, true);
    const out = logSoftmax(x, c.dim);
    check('logSoftmax', name, 'output', out, c.output);
    out.backward(fromStored(c.gradOutput));
    check('logSoftmax', name, 'gradInput', x.grad, c.gradInput);
  });
});
