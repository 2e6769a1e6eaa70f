import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Flatten,
  Linear,
  Module,
  Parameter,
  PReLU,
  Sequential,
  xavierUniform,
} from '../../src/nn/index.js';
import { sum } from '../../src/ops/index.js';
import { Generator, manualSeed, ones, randn, type Tensor, tensor, zeros } from '../../src/tensor/index.js';
import { gradcheck } from '../helpers/gradcheck.js';

/** conv + bn + prelu inside a named child, like the reference recipe's ConvBnPrelu. */
class Block extends Module {
  readonly net: Sequential;
  constructor() {
    super();
    this.net = this.registerModule(
      'net',
      new Sequential(new Conv2d(2, 3, 3, { bias: false }), new BatchNorm2d(3), new PReLU(3)),
    );
  }
  forward(x: Tensor): Tensor {
    return this.net.forward(x);
  }
}

describe('Module', () => {
  test('state dict keys follow PyTorch: params, then buffers, then children, dotted', () => {
    expect([...new Block().stateDict()].map(([k, v]) => `${k} [${v.shape.join(', ')}]`)).toEqual([
      'net.0.weight [3, 2, 3, 3]',
      'net.1.weight [3]',
      'net.1.bias [3]',
      'net.1.running_mean [3]',
      'net.1.running_var [3]',
      'net.1.num_batches_tracked []',
      'net.2.weight [3]',
    ]);
  });

  test('namedParameters yields [name, Parameter] pairs without buffers; parameters() in the same order', () => {
    const block = new Block();
    const named = block.namedParameters();
    expect(named.map(([n]) => n)).toEqual(['net.0.weight', 'net.1.weight', 'net.1.bias', 'net.2.weight']);
    expect(named.every(([, p]) => p instanceof Parameter && p.requiresGrad)).toBe(true);
    expect(block.parameters()).toEqual(named.map(([, p]) => p));
    expect(block.namedBuffers().map(([n]) => n)).toEqual([
      'net.1.running_mean',
      'net.1.running_var',
      'net.1.num_batches_tracked',
    ]);
    expect(block.numParameters()).toBe(54 + 3 + 3 + 3);
  });

  test('train() and eval() set the flag on every descendant', () => {
    const block = new Block();
    block.eval();
    expect(block.namedModules().every(([, m]) => !m.training)).toBe(true);
    block.train();
    expect(block.namedModules().every(([, m]) => m.training)).toBe(true);
  });

  test('loadStateDict copies a Map or a plain object into the module, round-tripping stateDict', () => {
    const a = new Block();
    const b = new Block();
    const source = a.stateDict();
    source.get('net.1.running_mean')?.data.fill(0.5);
    b.loadStateDict(source);
    for (const [key, value] of b.stateDict()) expect(Array.from(value.data)).toEqual(Array.from(source.get(key)!.data));
    const c = new Block();
    c.loadStateDict(Object.fromEntries(source));
    expect(Array.from(c.stateDict().get('net.0.weight')!.data)).toEqual(Array.from(source.get('net.0.weight')!.data));
  });

  test('strict loading lists every missing, unexpected and mis-shaped key in one error and changes nothing', () => {
    const block = new Block();
    const before = Array.from(block.net.at(0).parameters()[0].data);
    const dict = block.stateDict();
    dict.delete('net.1.bias');
    dict.delete('net.2.weight');
    dict.set('net.9.weight', zeros([1]));
    dict.set('net.0.weight', zeros([3, 2, 1, 1]));
    dict.set('net.1.running_var', ones([4]));
    let message = '';
    try {
      block.loadStateDict(dict);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('mis-shaped keys (2):');
    expect(message).toContain('net.0.weight: shape [3, 2, 1, 1] in the dict, [3, 2, 3, 3] in the model');
    expect(message).toContain('net.1.running_var: shape [4] in the dict, [3] in the model');
    expect(message).toContain('missing keys (2):\n  net.1.bias\n  net.2.weight');
    expect(message).toContain('unexpected keys (1):\n  net.9.weight');
    expect(Array.from(block.net.at(0).parameters()[0].data)).toEqual(before);
  });

  test('non-strict loading reports missing and unexpected keys instead of throwing', () => {
    const block = new Block();
    const result = block.loadStateDict({ 'net.2.weight': full3(0.5), extra: zeros([1]) }, { strict: false });
    expect(result.unexpectedKeys).toEqual(['extra']);
    expect(result.missingKeys).toHaveLength(6);
    expect(Array.from(block.stateDict().get('net.2.weight')!.data)).toEqual([0.5, 0.5, 0.5]);
  });

  test('zeroGrad clears every parameter gradient', () => {
    const block = new Block();
    sum(block.forward(randn([2, 2, 4, 4]))).backward();
    expect(block.parameters().every((p) => p.grad !== null)).toBe(true);
    block.zeroGrad();
    expect(block.parameters().every((p) => p.grad === null)).toBe(true);
  });

  test('registering a name twice or with a dot is refused', () => {
    class Twice extends Module {
      constructor(name: string) {
        super();
        this.registerModule('a', new Flatten());
        this.registerModule(name, new Flatten());
      }
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    expect(() => new Twice('a')).toThrow("'a' is already registered on Twice");
    expect(() => new Twice('b.c')).toThrow('without dots');
  });
});

function full3(value: number): Tensor {
  return tensor([value, value, value]);
}

describe('layers', () => {
  test.prop([fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })], {
    numRuns: 20,
  })(
    'Conv2d and Linear initialise weight and bias within +-1/sqrt(fanIn) (kaiming-uniform, a = sqrt(5))',
    (i, o, k) => {
      const conv = new Conv2d(i, o * i, k, { groups: i });
      const convBound = 1 / Math.sqrt(k * k);
      for (const p of conv.parameters()) expect(p.data.every((v) => Math.abs(v) <= convBound)).toBe(true);
      const lin = new Linear(i * k, o);
      const linBound = 1 / Math.sqrt(i * k);
      for (const p of lin.parameters()) expect(p.data.every((v) => Math.abs(v) <= linBound)).toBe(true);
    },
  );

  test('initialisation spreads over the whole bound and is reproducible from the seed', () => {
    manualSeed(7);
    const first = new Linear(100, 50);
    manualSeed(7);
    const second = new Linear(100, 50);
    expect(Array.from(first.weight.data)).toEqual(Array.from(second.weight.data));
    const values = Array.from(first.weight.data);
    expect(Math.max(...values)).toBeGreaterThan(0.09);
    expect(Math.min(...values)).toBeLessThan(-0.09);
  });

  test('xavierUniform stays within gain * sqrt(6 / (fanIn + fanOut))', () => {
    const w = xavierUniform(zeros([30, 20]), { generator: new Generator(3) });
    const bound = Math.sqrt(6 / 50);
    expect(w.data.every((v) => Math.abs(v) <= bound)).toBe(true);
    expect(Math.max(...Array.from(w.data))).toBeGreaterThan(0.9 * bound);
  });

  test('Linear without bias registers no bias; PReLU starts at 0.25 per channel', () => {
    expect([...new Linear(3, 2, { bias: false }).stateDict().keys()]).toEqual(['weight']);
    expect(Array.from(new PReLU(4).weight.data)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  test('BatchNorm counts training batches and uses running statistics in eval', () => {
    const bn = new BatchNorm1d(2);
    const x = tensor([
      [1, 10],
      [3, 30],
    ]);
    const trained = bn.forward(x);
    expect(Array.from(trained.data)).toEqual([-1, -1, 1, 1].map((v) => expect.closeTo(v, 4)));
    expect(bn.numBatchesTracked.item()).toBe(1);
    expect(Array.from(bn.runningMean.data)).toEqual([expect.closeTo(0.2, 6), expect.closeTo(2, 5)]);
    // Unbiased variances 2 and 200 enter the running estimate.
    expect(Array.from(bn.runningVar.data)).toEqual([expect.closeTo(1.1, 5), expect.closeTo(20.9, 4)]);
    bn.eval();
    const evaluated = bn.forward(x);
    expect(bn.numBatchesTracked.item()).toBe(1);
    expect(evaluated.data[0]).toBeCloseTo((1 - 0.2) / Math.sqrt(1.1 + 1e-5), 5);
  });

  test('layers reject inputs of the wrong rank, naming the layer and the shape', () => {
    expect(() => new BatchNorm2d(3).forward(zeros([2, 3]))).toThrow(
      'BatchNorm2d: expected 4-D input, got shape [2, 3]',
    );
    expect(() => new BatchNorm1d(3).forward(zeros([2, 3, 1, 1]))).toThrow(
      'BatchNorm1d: expected 2-D or 3-D input, got shape [2, 3, 1, 1]',
    );
    expect(() => new Conv2d(4, 6, 3, { groups: 4 })).toThrow(
      'Conv2d: groups=4 must divide inChannels=4 and outChannels=6',
    );
  });

  test('Sequential names children 0, 1, ... and applies them in order; Flatten keeps the batch dim', () => {
    const seq = new Sequential(new Flatten(), new Linear(6, 2));
    expect(seq.namedChildren().map(([n]) => n)).toEqual(['0', '1']);
    expect(seq.forward(zeros([4, 2, 3])).shape).toEqual([4, 2]);
  });
});

describe('layers in float64', () => {
  test.prop([fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 1000 })], { numRuns: 8 })(
    'conv -> batchnorm (train) -> prelu -> flatten -> linear: input gradient equals finite differences',
    (groups, seed) => {
      manualSeed(seed);
      const net = new Sequential(
        new Conv2d(2 * groups, 2 * groups, 3, { padding: 1, groups, dtype: 'float64' }),
        new BatchNorm2d(2 * groups, { dtype: 'float64' }),
        new PReLU(2 * groups, 0.25, { dtype: 'float64' }),
        new Flatten(),
        new Linear(2 * groups * 9, 3, { dtype: 'float64' }),
      );
      expect(net.parameters().every((p) => p.dtype === 'float64')).toBe(true);
      const x = randn([2, 2 * groups, 3, 3], { dtype: 'float64', requiresGrad: true });
      gradcheck((input) => net.forward(input), [x]);
    },
  );
});
