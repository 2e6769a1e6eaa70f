import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { BufferPool, keep } from '../../src/memory/index.js';
import { add, argmax, matmul, mean, mul, relu, reshape, sum } from '../../src/ops/index.js';
import { type Tensor, tensor, zeros } from '../../src/tensor/index.js';
import { randomTensor, seedArb } from '../helpers/arbitraries.js';

/** Parameters of a small two-layer network: float64 first layer, float32 second (mixed dtypes). */
interface Net {
  w1: Tensor;
  b1: Tensor;
  w2: Tensor;
}

function makeNet(inFeatures: number, hidden: number, outFeatures: number, seed: number): Net {
  return {
    w1: randomTensor([inFeatures, hidden], seed, { requiresGrad: true }),
    b1: randomTensor([hidden], seed + 1, { requiresGrad: true }),
    w2: randomTensor([hidden, outFeatures], seed + 2, { dtype: 'float32', requiresGrad: true }),
  };
}

/**
 * One SGD step of a graph with the shapes of gradient flow that recycling must respect: fan-out
 * (h used three times), views (reshape there and back), gradients passed on unchanged (add), and
 * a float32 input whose gradient is computed in float64 and converted.
 */
function trainStep(net: Net, x: Tensor): number {
  for (const p of Object.values(net)) p.zeroGrad();
  const h = relu(add(matmul(x, net.w1), net.b1));
  const hView = reshape(reshape(h, [-1]), h.shape);
  const y = matmul(add(mul(hView, hView), h), net.w2);
  const loss = add(mean(mul(y, y)), mul(sum(h), 0.01));
  loss.backward();
  for (const p of Object.values(net)) {
    const g = p.grad?.data as Float64Array | Float32Array;
    for (let i = 0; i < p.data.length; i++) p.data[i] -= 0.01 * g[i];
  }
  return loss.item();
}

function snapshot(net: Net): number[][] {
  return Object.values(net).flatMap((p) => [Array.from(p.data), Array.from(p.grad?.data ?? [])]);
}

describe('BufferPool: storage reuse across training steps', () => {
  test.prop([fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), seedArb], {
    numRuns: 40,
  })('steps in a pool give bit-identical losses, gradients and weights to fresh storage', (rows, hidden, out, seed) => {
    const fresh = makeNet(3, hidden, out, seed);
    const pooled = makeNet(3, hidden, out, seed);
    const x = randomTensor([rows, 3], seed + 3, { dtype: 'float32', requiresGrad: true });
    const pool = new BufferPool();
    for (let step = 0; step < 4; step++) {
      const expected = trainStep(fresh, x);
      const actual = pool.run(() => trainStep(pooled, x));
      expect(actual).toBe(expected);
      expect(snapshot(pooled)).toEqual(snapshot(fresh));
    }
    expect(pool.pooledBytes).toBeGreaterThan(0);
  });

  test('two backward passes through one retained graph inside a scope accumulate the same gradients as outside', () => {
    const twice = (w: Tensor): number[] => {
      const loss = sum(mul(relu(add(mul(w, w), w)), 3));
      loss.backward(undefined, { retainGraph: true });
      loss.backward();
      return Array.from(w.grad?.data ?? []);
    };
    const values = [0.5, -1, 2, 3];
    const expected = twice(tensor(values, { requiresGrad: true }));
    const pool = new BufferPool();
    for (let step = 0; step < 3; step++) {
      const w = tensor(values, { requiresGrad: true });
      expect(pool.run(() => twice(w))).toEqual(expected);
      expect(Array.from(w.grad?.data ?? [])).toEqual(expected);
    }
  });

  test('a returned tensor survives and later steps never write into it', () => {
    const pool = new BufferPool();
    const x = tensor([1, 2, 3, 4]);
    const kept = pool.run(() => mul(add(x, 1), 2));
    for (let step = 0; step < 3; step++) pool.run(() => mul(add(x, 5), 7).data.fill(-1));
    expect(kept.released).toBe(false);
    expect(Array.from(kept.data)).toEqual([4, 6, 8, 10]);
  });

  test('int32 storage stays int32 in a scope and when pooled: argmax inside and after a step', () => {
    const pool = new BufferPool();
    const scores = tensor([
      [0.1, 0.9],
      [0.8, 0.2],
    ]);
    for (let step = 0; step < 2; step++) {
      const indices = pool.run(() => argmax(mul(scores, 2), 1));
      expect(indices.dtype).toBe('int32');
      expect(Array.from(indices.data)).toEqual([1, 0]);
    }
  });

  test('storage made in a scope is shared memory (no copies for worker threads); what outlives it is moved to private memory', () => {
    const pool = new BufferPool();
    const w = tensor([1, 2], { requiresGrad: true });
    let sharedInside = false;
    const result = pool.run(() => {
      const y = mul(w, 3);
      sharedInside = y.data.buffer instanceof SharedArrayBuffer;
      sum(mul(y, y)).backward();
      return y;
    });
    expect(sharedInside).toBe(true);
    expect(result.data.buffer instanceof SharedArrayBuffer).toBe(false);
    expect(w.grad?.data.buffer instanceof SharedArrayBuffer).toBe(false);
    expect(Array.from(result.data)).toEqual([3, 6]);
    expect(Array.from(w.grad?.data ?? [])).toEqual([18, 36]);
  });

  test('keep() saves a tensor the scope does not return, with its gradient', () => {
    const pool = new BufferPool();
    const w = tensor([1, 2], { requiresGrad: true });
    let hidden: Tensor | null = null;
    pool.run(() => {
      hidden = keep(mul(w, 3));
      sum(mul(w, w)).backward();
    });
    for (let step = 0; step < 2; step++) pool.run(() => add(w, 100).data.fill(-1));
    expect(Array.from((hidden as unknown as Tensor).data)).toEqual([3, 6]);
    expect(Array.from(w.grad?.data ?? [])).toEqual([2, 4]);
  });

  test('an intermediate the scope neither returns nor keeps is released: reading it throws a clear error', () => {
    const pool = new BufferPool();
    let leaked: Tensor | null = null;
    pool.run(() => {
      leaked = mul(tensor([1, 2]), 2);
    });
    const tensorLeaked = leaked as unknown as Tensor;
    expect(tensorLeaked.released).toBe(true);
    expect(() => tensorLeaked.data).toThrow(/Tensor\(\[2\]\) was released: a BufferPool\.run scope/);
    expect(tensorLeaked.toString()).toBe('Tensor([2], released)');
  });

  test('the next step draws the released storage again, zero-filled', () => {
    const pool = new BufferPool();
    const used = new Set<ArrayBufferLike>();
    pool.run(() => {
      const scratch = zeros([64]);
      scratch.data.fill(5);
      used.add(scratch.data.buffer);
    });
    expect(pool.pooledBytes).toBe(64 * 4);
    const again = pool.run(() => {
      const fresh = zeros([64]);
      return { reused: used.has(fresh.data.buffer), values: Array.from(fresh.data) };
    });
    expect(again.reused).toBe(true);
    expect(again.values.every((v) => v === 0)).toBe(true);
  });

  test('backward hands consumed gradients back at once: a long chain needs a few gradient buffers, not one per op', () => {
    const pool = new BufferPool();
    const n = 1000;
    const depth = 12;
    const w = tensor(
      Array.from({ length: n }, (_, i) => i / n),
      { requiresGrad: true },
    );
    pool.run(() => {
      let y = w;
      for (let i = 0; i < depth; i++) y = mul(y, 1.01);
      sum(y).backward();
    });
    // Pooled afterwards: the depth activations (recycled at the end), the few gradient buffers
    // backward alternated between, the shared original of w's gradient (moved to private memory)
    // and some one-element tensors (the loss, its seed); without recycling during backward it
    // would hold 2 * depth + 1 buffers of n floats.
    const buffers = pool.pooledBytes / (n * 4);
    expect(buffers).toBeGreaterThanOrEqual(depth);
    expect(buffers).toBeLessThan(depth + 5);
    expect(w.grad?.data[0]).toBeCloseTo(1.01 ** depth, 4);
  });

  test('nested scopes: what the inner one returns lives on in the outer one, then goes back with it', () => {
    const pool = new BufferPool();
    let inner: Tensor | null = null;
    const outer = pool.run(() => {
      inner = pool.run(() => mul(tensor([1, 2]), 2));
      const innerTensor = inner as unknown as Tensor;
      expect(innerTensor.released).toBe(false);
      return add(innerTensor, 1);
    });
    expect((inner as unknown as Tensor).released).toBe(true);
    expect(Array.from(outer.data)).toEqual([3, 5]);
  });

  test('a storage size no step drew again is dropped at the end of the next run', () => {
    const pool = new BufferPool();
    pool.run(() => {
      zeros([100]);
    });
    expect(pool.pooledBytes).toBe(100 * 4);
    pool.run(() => {
      zeros([10]);
    });
    expect(pool.pooledBytes).toBe(10 * 4);
    pool.clear();
    expect(pool.pooledBytes).toBe(0);
  });

  test('a step that throws recycles nothing: its tensors stay readable for the error report', () => {
    const pool = new BufferPool();
    let made: Tensor | null = null;
    expect(() =>
      pool.run(() => {
        made = mul(tensor([1, 2]), 3);
        throw new Error('step failed');
      }),
    ).toThrow('step failed');
    expect(Array.from((made as unknown as Tensor).data)).toEqual([3, 6]);
    expect(pool.pooledBytes).toBe(0);
  });

  test('an async function is refused with a clear error', () => {
    const pool = new BufferPool();
    expect(() => pool.run(async () => 1)).toThrow(/BufferPool\.run: fn returned a Promise/);
  });
});
