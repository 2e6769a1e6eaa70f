import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { matmulCpu } from '../../../src/backend/cpu/matmul.js';
import {
  cpuThreadPoolInfo,
  getCpuThreads,
  setCpuThreads,
  setCpuWorkerEntry,
} from '../../../src/backend/cpu/threads/pool.js';
import { BufferPool } from '../../../src/memory/buffer-pool.js';
import { conv2d, mul, sum } from '../../../src/ops/index.js';
import { allocate, type Storage } from '../../../src/tensor/dtype.js';
import { randomTensor } from '../../helpers/arbitraries.js';
import { runConv } from './conv-kernel-runner.js';
import { faceMobileNetLayers, squareGeometry, uniformStorage } from './problems.js';

const initialThreads = getCpuThreads();
afterAll(() => setCpuThreads(initialThreads));

function sameBits(a: Storage, b: Storage): boolean {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}

function matmul512(threads: number): Storage {
  setCpuThreads(threads);
  const m = 300;
  const out = allocate('float32', 2 * m * m);
  matmulCpu({
    a: uniformStorage('float32', 2 * m * m, 1),
    b: uniformStorage('float32', m * m, 2),
    out,
    batch: 2,
    m,
    k: m,
    n: m,
    transposeA: false,
    transposeB: true,
    aBatchStride: m * m,
    bBatchStride: 0,
  });
  return out;
}

describe('the worker-thread pool (work is split over independent outputs, so results do not depend on the thread count)', () => {
  test('matmul on 2 threads equals 1 thread bit for bit, and the workers really ran chunks', () => {
    const single = matmul512(1);
    const before = cpuThreadPoolInfo();
    let double = matmul512(2);
    // A worker needs a moment to start; until then the main thread claims every chunk itself.
    for (let call = 0; call < 30 && cpuThreadPoolInfo().workerChunks === before.workerChunks; call++)
      double = matmul512(2);
    const after = cpuThreadPoolInfo();
    expect(after.problem).toBeNull();
    expect(after.workers).toBe(1);
    expect(after.parallelCalls).toBeGreaterThan(before.parallelCalls);
    expect(after.workerChunks).toBeGreaterThan(before.workerChunks);
    expect(sameBits(single, double)).toBe(true);
  });

  const layers = [
    ...faceMobileNetLayers(4).filter((l) => /conv1 |conv4 |conv5 depthwise|conv10/.test(l.name)),
    { name: 'grouped im2col 3x3 s2 (generic path)', geometry: squareGeometry(4, 12, 20, 24, 3, 2, 1, 3) },
  ];
  for (const { name, geometry } of layers) {
    test(`${name}: forward and both gradients on 2 threads equal 1 thread bit for bit`, () => {
      setCpuThreads(1);
      const single = runConv(geometry, 'float32', 5, 'fast');
      setCpuThreads(2);
      const double = runConv(geometry, 'float32', 5, 'fast');
      expect(sameBits(single.forward, double.forward)).toBe(true);
      expect(sameBits(single.backwardInput, double.backwardInput)).toBe(true);
      expect(sameBits(single.backwardWeight, double.backwardWeight)).toBe(true);
    });
  }

  test('inside a BufferPool scope (storage on SharedArrayBuffer, used by the workers in place) a conv step equals 1 thread outside it bit for bit', () => {
    const x = randomTensor([4, 32, 24, 24], 11, { dtype: 'float32', requiresGrad: true });
    const weight = randomTensor([64, 32, 1, 1], 12, { dtype: 'float32', requiresGrad: true });
    const step = (): Storage[] => {
      x.zeroGrad();
      weight.zeroGrad();
      const y = conv2d(x, weight);
      sum(mul(y, y)).backward();
      return [
        Float32Array.from(y.data),
        Float32Array.from(x.grad?.data ?? []),
        Float32Array.from(weight.grad?.data ?? []),
      ];
    };
    setCpuThreads(1);
    const single = step();
    setCpuThreads(2);
    const pool = new BufferPool();
    const before = cpuThreadPoolInfo().parallelCalls;
    for (let run = 0; run < 2; run++) {
      const pooled = pool.run(step);
      pooled.forEach((values, i) => {
        expect(sameBits(values, single[i])).toBe(true);
      });
    }
    expect(cpuThreadPoolInfo().parallelCalls).toBeGreaterThan(before);
  });

  test('setCpuThreads rejects a non-positive or fractional count', () => {
    expect(() => setCpuThreads(0)).toThrow('setCpuThreads: threads must be a positive integer, got 0');
    expect(() => setCpuThreads(1.5)).toThrow('setCpuThreads: threads must be a positive integer, got 1.5');
  });

  test('a process that used the pool exits by itself (workers are unref-ed), honouring ARCGRAD_THREADS', () => {
    const child = fileURLToPath(new URL('./exit-cleanly.child.ts', import.meta.url));
    const result = spawnSync(process.execPath, ['--import', 'tsx', child], {
      env: { ...process.env, ARCGRAD_THREADS: '2' },
      timeout: 60_000,
      encoding: 'utf8',
    });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ threads: 2, workers: 1, problem: null });
  });
});

describe('a worker that cannot start', () => {
  test('is reported once on stderr and in cpuThreadPoolInfo, naming the cause, while the kernels still run on the calling thread', async () => {
    const notices: string[] = [];
    const consoleError = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => {
      notices.push(parts.map(String).join(' '));
    });
    try {
      const single = matmul512(1);
      setCpuWorkerEntry(new URL('./failing-worker.fixture.ts', import.meta.url));
      // Three threads start two workers; both fail, and the pool says so once.
      let parallel = matmul512(3);
      for (let wait = 0; wait < 400 && cpuThreadPoolInfo().problem === null; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const info = cpuThreadPoolInfo();
      expect(info.problem).toContain('this worker program fails on purpose while loading');
      expect(info.problem).toContain('failing-worker.fixture.ts');
      expect(info.workers).toBe(0);
      parallel = matmul512(3);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(sameBits(single, parallel)).toBe(true);
      expect(notices.filter((notice) => notice.includes('fails on purpose'))).toHaveLength(1);
      expect(notices[0]).toContain('arcgrad: CPU kernels run on the calling thread only');
    } finally {
      consoleError.mockRestore();
      setCpuWorkerEntry(undefined);
    }
    expect(cpuThreadPoolInfo().problem).toBeNull();
  });
});
