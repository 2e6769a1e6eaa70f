import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { cpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import { GpuBackend } from '../../src/backend/gpu/gpu-backend.js';
import { headlessGlProblem } from '../../src/backend/gpu/gpujs.js';
import { gpuOptionsFrom } from '../../src/backend/gpu/register.js';
import { availableBackends, backendInfo, getBackend, setBackend } from '../../src/backend/registry.js';
import { matmul } from '../../src/ops/matmul.js';
import { tensor } from '../../src/tensor/create.js';

const glClasses = ['HeadlessGLKernel', 'WebGLKernel', 'WebGL2Kernel', 'WebGPUKernel'];

afterAll(() => {
  setBackend('cpu');
});

describe('backend selection', () => {
  test('cpu and gpu are registered; cpu reports its TypeScript kernels and what runs the GEMMs', () => {
    expect(availableBackends()).toEqual(expect.arrayContaining(['cpu', 'gpu']));
    setBackend('cpu');
    expect(getBackend().name).toBe('cpu');
    expect(backendInfo().kernelClass).toMatch(
      /^cpu \(TypeScript kernels, GEMMs on WebAssembly SIMD, \d+ thread\(s\)\)$/,
    );
  });

  test("setBackend('gpu', { mode: 'cpu', minFlops: 0 }) runs ops on gpu.js CPUKernel and counts the calls", () => {
    setBackend('gpu', { mode: 'cpu', minFlops: 0 });
    const a = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = tensor([[1], [0], [-1]]);
    expect(matmul(a, b).toArray()).toEqual([[-2], [-2]]);
    const info = backendInfo();
    expect(info.name).toBe('gpu');
    expect(info.kernelClass).toBe('CPUKernel');
    expect(info.calls.CPUKernel).toBe(1);
    expect(info.summary).toContain('CPUKernel');
  });

  test('problems below the crossover and float64 problems stay on the CPU kernels, and say so', () => {
    setBackend('gpu', { mode: 'cpu', minFlops: 1e6 });
    matmul(tensor([[1, 2]]), tensor([[3], [4]]));
    matmul(tensor([[1, 2]], { dtype: 'float64' }), tensor([[3], [4]], { dtype: 'float64' }));
    const { calls } = backendInfo();
    expect(calls['cpu (below crossover)']).toBe(1);
    expect(calls['cpu (float64 storage)']).toBe(1);
    expect(calls.CPUKernel).toBeUndefined();
  });

  test('bad options fail with the option, the value and what is expected', () => {
    expect(() => setBackend('gpu', { mode: 'cuda' })).toThrow(
      /unknown gpu.js mode 'cuda'; expected one of gpu, headlessgl/,
    );
    expect(() => setBackend('gpu', { mode: 'webgl2' })).toThrow(
      /mode 'webgl2' cannot run here: WebGL2 needs a browser/,
    );
    expect(() => setBackend('gpu', { mode: 'cpu', minFlops: -1 })).toThrow(/minFlops must be a number >= 0, got -1/);
    expect(() => setBackend('tpu')).toThrow(/unknown backend 'tpu'; expected one of cpu, gpu/);
  });

  test('ARCGRAD_GPU_MODE and ARCGRAD_GPU_MIN_FLOPS fill options that were not given', () => {
    const env = { ARCGRAD_GPU_MODE: 'webasm', ARCGRAD_GPU_MIN_FLOPS: '1000' };
    expect(gpuOptionsFrom({}, env)).toMatchObject({ mode: 'webasm', minFlops: 1000 });
    expect(gpuOptionsFrom({ mode: 'cpu', minFlops: 5 }, env)).toMatchObject({ mode: 'cpu', minFlops: 5 });
    expect(() => gpuOptionsFrom({}, { ARCGRAD_GPU_MIN_FLOPS: 'lots' })).toThrow(
      /ARCGRAD_GPU_MIN_FLOPS: expected a number >= 0, got 'lots'/,
    );
  });

  test('asking gpu.js for a GPU and getting a fallback prints one notice, once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const first = new GpuBackend({ mode: 'gpu' }, cpuBackend);
    const second = new GpuBackend({ mode: 'gpu' }, cpuBackend);
    const info = first.describe();
    const messages = warn.mock.calls.map((call) => String(call[0]));
    warn.mockRestore();
    console.log(`[backend coverage] auto mode: ${info.summary}; notices: ${JSON.stringify(messages)}`);
    if (!glClasses.includes(info.kernelClass)) {
      // No GL context: gpu.js silently chose webasm or cpu; arcgrad must say which and why.
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain(info.kernelClass);
      expect(info.fallbackReason).toBeTruthy();
      expect(messages[0]).toContain(info.fallbackReason as string);
    } else if (info.renderer !== null) {
      expect(messages).toEqual([expect.stringContaining('llvmpipe')]);
    } else {
      expect(messages).toEqual([]);
    }
    await first.dispose();
    await second.dispose();
  });

  const child = fileURLToPath(new URL('./exit-cleanly.child.ts', import.meta.url));
  const runChild = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', child], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 90_000,
    });

  test('ARCGRAD_BACKEND=gpu selects gpu.js in a fresh process, which loads gpu.js only then and exits by itself', () => {
    const result = runChild({ ARCGRAD_BACKEND: 'gpu', ARCGRAD_GPU_MIN_FLOPS: '0' });
    console.log(`[child] status ${result.status} signal ${result.signal}\n${result.stdout}${result.stderr}`);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('gpu.js loaded after import: false');
    expect(result.stdout).toContain('gpu.js loaded after selection: true');
    expect(result.stdout).toContain('result: 19,22,43,50');
    const expectedClass = headlessGlProblem() === null ? 'HeadlessGLKernel' : 'WebAssemblyKernel';
    expect(result.stdout).toContain(`calls: ${expectedClass} 1`);
  });

  test('ARCGRAD_GPU_MODE=cpu picks gpu.js CPUKernel in a fresh process', () => {
    const result = runChild({ ARCGRAD_BACKEND: 'gpu', ARCGRAD_GPU_MODE: 'cpu', ARCGRAD_GPU_MIN_FLOPS: '0' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("gpu.js CPUKernel (mode 'cpu')");
    expect(result.stderr).not.toContain('arcgrad:');
  });
});
