import { describe, expect, test } from 'vitest';
import {
  Adam,
  AdamW,
  CosineAnnealingLR,
  type HasLearningRate,
  LinearLR,
  type Optimizer,
  SGD,
  StepLR,
  type StepLRStateDict,
} from '../../src/optim/index.js';
import { Generator } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';

function makeParams(seed: number): Tensor[] {
  const generator = new Generator(seed);
  return [[2, 3], [4], [3]].map((shape) => {
    const data = new Float64Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = generator.normal();
    return new Tensor(data, shape, true);
  });
}

/** Gradients that depend on the parameter and the step, the same for every copy of the parameters. */
function setGradients(params: readonly Tensor[], step: number): void {
  params.forEach((p, k) => {
    p.grad = new Tensor(
      p.data.map((_, i) => Math.cos(0.9 * i + 0.4 * step + k)),
      p.shape,
    );
  });
}

function train(optimizers: Optimizer[], params: readonly Tensor[], steps: number): void {
  for (let step = 0; step < steps; step++) {
    setGradients(params, step);
    for (const optimizer of optimizers) optimizer.step();
  }
}

describe('parameter groups (torch.optim param_groups)', () => {
  test('a group overrides some defaults and inherits the rest', () => {
    const [a, b, c] = makeParams(1);
    const optimizer = new SGD([{ params: [a, b] }, { params: [c], lr: 0.3, weightDecay: 0 }], {
      lr: 0.1,
      momentum: 0.9,
      weightDecay: 5e-4,
    });
    const [first, second] = optimizer.paramGroups;
    expect(first).toEqual({ params: [a, b], lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 5e-4 });
    expect(second).toEqual({ params: [c], lr: 0.3, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0 });
    expect(optimizer.params).toEqual([a, b, c]);
  });

  const makers: [string, (groups: { params: Tensor[] }[]) => Optimizer][] = [
    ['SGD', (groups) => new SGD([groups[0], { ...groups[1], lr: 0.02, nesterov: true }], { lr: 0.1, momentum: 0.9 })],
    ['Adam', (groups) => new Adam([groups[0], { ...groups[1], betas: [0.5, 0.9], amsgrad: true }], { lr: 0.01 })],
    ['AdamW', (groups) => new AdamW([{ ...groups[0], weightDecay: 0.3 }, groups[1]], { lr: 0.01 })],
  ];

  test.each(makers)('%s with two groups steps as two optimizers of one group each', (_, make) => {
    const together = makeParams(2);
    const apart = makeParams(2);
    train([make([{ params: together.slice(0, 2) }, { params: together.slice(2) }])], together, 5);
    const whole = make([{ params: apart.slice(0, 2) }, { params: apart.slice(2) }]);
    // The same hyperparameters, but each group in an optimizer of its own.
    const [first, second] = whole.paramGroups.map(({ params, ...hyperparameters }) => ({ params, hyperparameters }));
    const Kind = whole.constructor as new (params: Tensor[], options: object) => Optimizer;
    train(
      [new Kind([...first.params], first.hyperparameters), new Kind([...second.params], second.hyperparameters)],
      apart,
      5,
    );
    together.forEach((p, i) => {
      expect(Array.from(p.data)).toEqual(Array.from(apart[i].data));
    });
  });

  test('lr reads the first group and sets every group', () => {
    const [a, b] = makeParams(3);
    const optimizer = new Adam([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
    expect(optimizer.lr).toBe(0.1);
    optimizer.lr = 0.2;
    expect(optimizer.paramGroups.map((g) => g.lr)).toEqual([0.2, 0.2]);
  });

  test('schedulers scale every group from its own base lr, keeping the ratio between groups', () => {
    const schedulers = [
      (o: HasLearningRate) => new StepLR(o, { stepSize: 2, gamma: 0.5 }),
      (o: HasLearningRate) => new CosineAnnealingLR(o, { tMax: 4 }),
      (o: HasLearningRate) => new LinearLR(o, { startFactor: 0.25, totalIters: 3 }),
    ];
    for (const makeScheduler of schedulers) {
      const [a, b] = makeParams(4);
      const optimizer = new SGD([{ params: [a] }, { params: [b], lr: 0.03 }], { lr: 0.1 });
      const scheduler = makeScheduler(optimizer);
      const single = { lr: 0.1 };
      const reference = makeScheduler(single);
      for (let epoch = 0; epoch < 3; epoch++) {
        scheduler.step();
        reference.step();
        const [first, second] = scheduler.getLastLrs();
        expect(first).toBe(single.lr);
        expect(second / first).toBeCloseTo(0.3, 12);
        expect(optimizer.paramGroups.map((g) => g.lr)).toEqual([first, second]);
      }
    }
  });
});

describe('parameter groups: errors name the optimizer, the group and what differs', () => {
  test('constructor', () => {
    const [a, b] = makeParams(5);
    expect(() => new SGD([{ params: [a] }, { params: [a, b] }], { lr: 0.1 })).toThrow(
      'SGD: paramGroups[1].params[0] appears more than once in the parameters',
    );
    expect(() => new SGD([{ params: [a] }, { params: [b], lr: -1 }], { lr: 0.1 })).toThrow(
      'SGD paramGroups[1]: lr must be a number in [0, Infinity], got -1',
    );
    expect(() => new AdamW([{ params: [a] }, { params: [] }])).not.toThrow();
    expect(() => new AdamW([{ params: [] }])).toThrow('AdamW: got an empty parameter list');
  });

  test('state dicts of another group layout', () => {
    const [a, b, c] = makeParams(6);
    const twoGroups = new SGD([{ params: [a] }, { params: [b, c] }], { lr: 0.1 });
    const saved = twoGroups.stateDict();
    const regrouped = new SGD([{ params: [a, b] }, { params: [c] }], { lr: 0.1 });
    expect(() => regrouped.loadStateDict(saved)).toThrow(
      "SGD.loadStateDict: paramGroups[0] has 1 parameters but the optimizer's has 2",
    );
    const oneGroup = new SGD([a, b, c], { lr: 0.1 });
    expect(() => oneGroup.loadStateDict(saved)).toThrow(
      'SGD.loadStateDict: state dict has 2 parameter groups but the optimizer has 1',
    );
    const scheduler = new StepLR(oneGroup, { stepSize: 1 });
    expect(() => scheduler.loadStateDict(new StepLR(twoGroups, { stepSize: 1 }).stateDict())).toThrow(
      'StepLR.loadStateDict: baseLrs holds 2 learning rates but the optimizer has 1 parameter groups',
    );
  });

  test('dicts written before parameter groups still load into one group', () => {
    const params = makeParams(7);
    const optimizer = new SGD(params, { lr: 0.1, momentum: 0.9 });
    const { paramGroups: _, ...withoutGroups } = optimizer.stateDict();
    const resumed = new SGD(params, { lr: 1 });
    resumed.loadStateDict({ ...withoutGroups, hyperparameters: { ...withoutGroups.hyperparameters, lr: 0.05 } });
    expect(resumed.paramGroups[0].lr).toBe(0.05);
    const scheduler = new StepLR(resumed, { stepSize: 2 });
    const legacy: StepLRStateDict = { stepSize: 2, gamma: 0.1, baseLr: 0.1, lastEpoch: 1, lastLr: 0.1 };
    scheduler.loadStateDict(legacy);
    expect(scheduler.stateDict()).toMatchObject({ baseLrs: [0.1], lastLrs: [0.1] });
  });
});
