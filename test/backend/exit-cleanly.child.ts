/**
 * Child process for selection.test.ts: selects the backend from the environment (ARCGRAD_BACKEND,
 * ARCGRAD_GPU_MODE, ARCGRAD_GPU_MIN_FLOPS), runs one matmul, prints what ran and returns from the
 * module without disposing anything, so the parent sees whether the process exits by itself.
 */
import { createRequire } from 'node:module';
import { backendInfo, getBackend } from '../../src/backend/index.js';

const require = createRequire(import.meta.url);
const gpuJsLoaded = () => Object.keys(require.cache).some((path) => /[\\/]gpu\.js[\\/]/.test(path));
console.log(`gpu.js loaded after import: ${gpuJsLoaded()}`);
const backend = getBackend();
console.log(`gpu.js loaded after selection: ${gpuJsLoaded()}`);
const out = new Float32Array(4);
backend.matmul({
  a: new Float32Array([1, 2, 3, 4]),
  b: new Float32Array([5, 6, 7, 8]),
  out,
  batch: 1,
  m: 2,
  k: 2,
  n: 2,
  transposeA: false,
  transposeB: false,
  aBatchStride: 0,
  bBatchStride: 0,
});
console.log(`result: ${Array.from(out).join(',')}`);
console.log(`info: ${backendInfo().summary}`);
