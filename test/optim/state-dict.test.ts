import { describe, expect, test } from 'vitest';
import { Adam, AdamW, SGD, StepLR } from '../../src/optim/index.js';
import { Generator } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';

type Trainable = SGD | Adam | AdamW;

function makeParams(dtype: 'float32' | 'float64'): Tensor[] {
  const generator = new Generator(7);
  return [[3, 2], [5]].map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = generator.normal();
    return new Tensor(data, shape, true);
  });
}

/** Deterministic gradients that depend on the step, so a resumed run sees the same sequence. */
function setGradients(params: Tensor[], step: number): void {
  params.forEach((p, k) => {
    const g = p.data.slice().map((_, i) => Math.sin(1.7 * i + 0.3 * step + k) * (1 + (step % 3)));
    p.grad = new Tensor(g, p.shape);
  });
}

/** JSON with tensors written as plain arrays (what a JSON checkpoint would hold). */
function throughJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_, v) => (v instanceof Tensor ? Array.from(v.data) : v)));
}

const makers: [string, (params: Tensor[]) => Trainable][] = [
  [
    'SGD with nesterov and weight decay',
    (p) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 5e-4 }),
  ],
  ['Adam with amsgrad and weight decay', (p) => new Adam(p, { lr: 0.01, weightDecay: 0.1, amsgrad: true })],
  [
    'SGD with two parameter groups',
    (p) => new SGD([{ params: [p[0]] }, { params: [p[1]], lr: 0.3, weightDecay: 0 }], { lr: 0.1, momentum: 0.9 }),
  ],
  [
    'AdamW with two parameter groups',
    (p) =>
      new AdamW(
        [
          { params: [p[0]], betas: [0.8, 0.99] },
          { params: [p[1]], weightDecay: 0 },
        ],
        { lr: 0.01 },
      ),
  ],
];

describe('state dicts resume training exactly', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    test.each(makers)(`%s (${dtype}), through JSON, with StepLR`, (_, make) => {
      const reference = makeParams(dtype);
      const referenceOptimizer = make(reference);
      const referenceScheduler = new StepLR(referenceOptimizer, { stepSize: 2, gamma: 0.5 });
      for (let step = 0; step < 6; step++) {
        setGradients(reference, step);
        referenceOptimizer.step();
        referenceScheduler.step();
      }

      const first = makeParams(dtype);
      const firstOptimizer = make(first);
      const firstScheduler = new StepLR(firstOptimizer, { stepSize: 2, gamma: 0.5 });
      for (let step = 0; step < 3; step++) {
        setGradients(first, step);
        firstOptimizer.step();
        firstScheduler.step();
      }
      const saved = throughJson({
        params: first.map((p) => p),
        optimizer: firstOptimizer.stateDict(),
        scheduler: firstScheduler.stateDict(),
      });

      // A fresh process: new parameters, a new optimizer with different hyperparameters, all restored.
      const resumed = (saved.params as unknown as number[][]).map((values, i) => {
        const data = dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
        return new Tensor(data, first[i].shape, true);
      });
      const resumedOptimizer = make(resumed);
      resumedOptimizer.lr = 123;
      resumedOptimizer.loadStateDict(saved.optimizer as never);
      const resumedScheduler = new StepLR(resumedOptimizer, { stepSize: 2, gamma: 0.5 });
      resumedScheduler.loadStateDict(saved.scheduler);
      for (let step = 3; step < 6; step++) {
        setGradients(resumed, step);
        resumedOptimizer.step();
        resumedScheduler.step();
      }
      resumed.forEach((p, i) => {
        expect(Array.from(p.data)).toEqual(Array.from(reference[i].data));
      });
      expect(resumedOptimizer.paramGroups).toEqual(referenceOptimizer.paramGroups);
      expect(resumedScheduler.getLastLrs()).toEqual(referenceScheduler.getLastLrs());
    });
  }

  test('stateDict holds copies: later steps do not change a saved dict', () => {
    const params = makeParams('float32');
    const optimizer = new SGD(params, { lr: 0.1, momentum: 0.9 });
    setGradients(params, 0);
    optimizer.step();
    const saved = optimizer.stateDict();
    const before = Array.from((saved.momentumBuffers[0] as Tensor).data);
    setGradients(params, 1);
    optimizer.step();
    expect(Array.from((saved.momentumBuffers[0] as Tensor).data)).toEqual(before);
  });
});

describe('optimizers never mutate gradients and skip parameters without one', () => {
  test.each(makers)('%s', (_, make) => {
    const params = makeParams('float32');
    const optimizer = make(params);
    setGradients(params, 0);
    const grad = Array.from(params[0].grad?.data ?? []);
    params[1].grad = null;
    const untouched = Array.from(params[1].data);
    optimizer.step();
    expect(Array.from(params[0].grad?.data ?? [])).toEqual(grad);
    expect(Array.from(params[1].data)).toEqual(untouched);
    optimizer.zeroGrad();
    expect(params.every((p) => p.grad === null)).toBe(true);
  });
});

describe('bad hyperparameters and state dicts are rejected with clear errors', () => {
  const params = () => makeParams('float32');
  test('hyperparameters', () => {
    expect(() => new SGD(params(), { lr: -1 })).toThrow('SGD: lr must be a number in [0, Infinity], got -1');
    expect(() => new SGD(params(), { lr: 0.1, nesterov: true })).toThrow('SGD: nesterov needs momentum > 0');
    expect(() => new SGD(params(), { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true })).toThrow(
      'dampening 0.1',
    );
    expect(() => new Adam(params(), { betas: [0.9, 1] })).toThrow('Adam: betas[1] must be a number in [0, ');
    expect(() => new Adam(params(), { eps: Number.NaN })).toThrow('Adam: eps must be a number');
    expect(() => new StepLR({ lr: 0.1 }, { stepSize: 0 })).toThrow(
      'StepLR: stepSize must be a positive integer, got 0',
    );
  });

  test('parameter lists', () => {
    const [a] = params();
    expect(() => new SGD([], { lr: 0.1 })).toThrow('SGD: got an empty parameter list');
    expect(() => new SGD([a, a], { lr: 0.1 })).toThrow('SGD: parameter 1 appears more than once');
  });

  test('state dicts that do not fit the parameters', () => {
    const optimizer = new SGD(params(), { lr: 0.1, momentum: 0.9 });
    const hyperparameters = optimizer.stateDict().hyperparameters;
    expect(() => optimizer.loadStateDict({ hyperparameters, momentumBuffers: [null] })).toThrow(
      'SGD.loadStateDict: state dict has 1 parameters but the optimizer has 2',
    );
    expect(() => optimizer.loadStateDict({ hyperparameters, momentumBuffers: [[1, 2], null] })).toThrow(
      'SGD.loadStateDict: momentumBuffers[0] has 2 elements but the parameter has shape [3, 2] (6 elements)',
    );
    const adam = new Adam(params());
    expect(() =>
      adam.loadStateDict({
        hyperparameters: adam.stateDict().hyperparameters,
        state: [{ step: 0, expAvg: [], expAvgSq: [] }, null],
      }),
    ).toThrow('Adam.loadStateDict: state[0].step must be a positive integer, got 0');
  });
});
