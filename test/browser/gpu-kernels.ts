import * as gpujs from 'gpu.js';
import {
  backendInfo,
  conv2d,
  type GpuJsModule,
  type GpuMode,
  manualSeed,
  matmul,
  randn,
  setBackend,
  startWebGpu,
  useGpuJs,
} from '../../src/browser.js';

/**
 * A matmul and a convolution on gpu.js in the page (the bundler resolves gpu.js to its browser
 * build), each against the CPU backend: what the browser tests check of the GPU path.
 */

/** The largest error relative to the largest CPU value, and what ran. */
export interface GpuKernelsResult {
  matmulError: number;
  conv2dError: number;
  kernelClass: string;
  renderer: string | null;
  fallbackReason: string | null;
  calls: Readonly<Record<string, number>>;
}

function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let error = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    error = Math.max(error, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return error / scale;
}

/** Runs both kernels on the CPU, then on gpu.js in `mode`, and compares. */
export function gpuKernels(mode: GpuMode): GpuKernelsResult {
  useGpuJs(gpujs as unknown as GpuJsModule);
  return compareWithCpu(mode);
}

/** The same through the WebGPU worker, plus the mean time of one small bridged matmul (readback included). */
export async function webGpuKernels(): Promise<GpuKernelsResult & { millisecondsPerCall: number }> {
  await startWebGpu();
  const result = compareWithCpu('webgpu');
  setBackend('gpu', { mode: 'webgpu', minFlops: 0 });
  const a = randn([32, 32]);
  matmul(a, a);
  const calls = 20;
  const started = performance.now();
  for (let i = 0; i < calls; i++) matmul(a, a);
  const millisecondsPerCall = (performance.now() - started) / calls;
  setBackend('cpu');
  return { ...result, millisecondsPerCall };
}

function compareWithCpu(mode: GpuMode): GpuKernelsResult {
  manualSeed(3);
  const a = randn([64, 96]);
  const b = randn([96, 48]);
  const x = randn([2, 8, 16, 16]);
  const w = randn([16, 8, 3, 3]);
  const run = () => ({ product: matmul(a, b).data.slice(), conv: conv2d(x, w, { padding: 1 }).data.slice() });
  setBackend('cpu');
  const expected = run();
  setBackend('gpu', { mode, minFlops: 0 });
  const actual = run();
  const info = backendInfo();
  setBackend('cpu');
  return {
    matmulError: relativeError(actual.product, expected.product),
    conv2dError: relativeError(actual.conv, expected.conv),
    kernelClass: info.kernelClass,
    renderer: info.renderer,
    fallbackReason: info.fallbackReason,
    calls: info.calls,
  };
}
