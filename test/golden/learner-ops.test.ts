import { describe, test } from 'vitest';
import { binaryCrossEntropyWithLogits, l1Loss, mseLoss, type Reduction } from '../../src/losses/index.js';
import { avgPool2d, cos, erf, gelu, layerNorm, maxPool2d, silu, sin, softplus, tanh } from '../../src/ops/index.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { compareToGolden, fromStored, readGolden, type StoredTensor } from './fixtures.js';

/**
 * Golden values from PyTorch 1.13, written by scripts/make_golden_learner_ops.py into
 * test/fixtures/core/learner-ops.json. arcgrad's float32 forward and gradients must match them
 * within abs 1e-6 + rel 1e-5 (torch.allclose's rule); each backward uses the stored upstream gradient.
 */

interface ElementwiseCase {
  op: string;
  options: Record<string, number>;
  input: StoredTensor;
  gradOutput: StoredTensor;
  output: StoredTensor;
  gradInput: StoredTensor;
}

interface LossCase {
  op: string;
  reduction: Reduction;
  input: StoredTensor;
  target: StoredTensor;
  gradOutput: StoredTensor;
  output: StoredTensor;
  gradInput: StoredTensor;
  gradTarget: StoredTensor;
}

interface PoolCase {
  op: string;
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number];
  count_include_pad?: boolean;
  input: StoredTensor;
  gradOutput: StoredTensor;
  output: StoredTensor;
  gradInput: StoredTensor;
}

interface LayerNormCase {
  normalizedShape: number[];
  eps: number;
  input: StoredTensor;
  weight?: StoredTensor;
  bias?: StoredTensor;
  gradOutput: StoredTensor;
  output: StoredTensor;
  gradInput: StoredTensor;
  gradWeight?: StoredTensor;
  gradBias?: StoredTensor;
}

const golden = readGolden<{ op: string }>('learner-ops.json');

function casesOf<Case>(...ops: string[]): Case[] {
  return golden.cases.filter((c) => ops.includes(c.op)) as Case[];
}

const elementwise: Record<string, (x: Tensor, options: Record<string, number>) => Tensor> = {
  tanh,
  sin,
  cos,
  erf,
  gelu,
  silu,
  softplus: (x, options) => softplus(x, options),
};

const losses: Record<string, (x: Tensor, y: Tensor, options: { reduction: Reduction }) => Tensor> = {
  mseLoss,
  l1Loss,
  binaryCrossEntropyWithLogits,
};

describe('learner ops match PyTorch 1.13 golden values (float32)', () => {
  test.each(casesOf<ElementwiseCase>(...Object.keys(elementwise)).map((c, i) => [`${c.op} #${i}`, c] as const))(
    'elementwise %s: forward and input gradient',
    (label, c) => {
      const x = fromStored(c.input, true);
      const y = elementwise[c.op](x, c.options);
      compareToGolden(`${label} output`, y, c.output);
      y.backward(fromStored(c.gradOutput));
      compareToGolden(`${label} gradInput`, x.grad, c.gradInput);
    },
  );

  test.each(casesOf<LossCase>(...Object.keys(losses)).map((c, i) => [`${c.op} ${c.reduction} #${i}`, c] as const))(
    'loss %s: value and gradients for input and target',
    (label, c) => {
      const x = fromStored(c.input, true);
      const y = fromStored(c.target, true);
      const loss = losses[c.op](x, y, { reduction: c.reduction });
      compareToGolden(`${label} output`, loss, c.output);
      loss.backward(fromStored(c.gradOutput));
      compareToGolden(`${label} gradInput`, x.grad, c.gradInput);
      compareToGolden(`${label} gradTarget`, y.grad, c.gradTarget);
    },
  );

  test.each(casesOf<PoolCase>('maxPool2d', 'avgPool2d').map((c, i) => [`${c.op} #${i}`, c] as const))(
    'pooling %s: forward and input gradient',
    (label, c) => {
      const x = fromStored(c.input, true);
      const options = { kernelSize: c.kernelSize, stride: c.stride, padding: c.padding };
      const y =
        c.op === 'maxPool2d'
          ? maxPool2d(x, options)
          : avgPool2d(x, { ...options, countIncludePad: c.count_include_pad ?? true });
      compareToGolden(`${label} output`, y, c.output);
      y.backward(fromStored(c.gradOutput));
      compareToGolden(`${label} gradInput`, x.grad, c.gradInput);
    },
  );

  test.each(casesOf<LayerNormCase & { op: string }>('layerNorm').map((c, i) => [`#${i}`, c] as const))(
    'layerNorm %s: forward and gradients of input, weight and bias',
    (label, c) => {
      const x = fromStored(c.input, true);
      const weight = c.weight ? fromStored(c.weight, true) : null;
      const bias = c.bias ? fromStored(c.bias, true) : null;
      const y = layerNorm(x, c.normalizedShape, { weight, bias, eps: c.eps });
      compareToGolden(`layerNorm ${label} output`, y, c.output);
      y.backward(fromStored(c.gradOutput));
      compareToGolden(`layerNorm ${label} gradInput`, x.grad, c.gradInput);
      if (c.gradWeight) compareToGolden(`layerNorm ${label} gradWeight`, weight?.grad ?? null, c.gradWeight);
      if (c.gradBias) compareToGolden(`layerNorm ${label} gradBias`, bias?.grad ?? null, c.gradBias);
    },
  );
});
