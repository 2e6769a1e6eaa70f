// Child process of threads.test.ts: runs one parallel matmul, prints the pool info, and must exit on its own.
import { matmulCpu } from '../../../src/backend/cpu/matmul.js';
import { cpuThreadPoolInfo } from '../../../src/backend/cpu/threads/pool.js';
import { allocate } from '../../../src/tensor/dtype.js';

const m = 256;
const a = allocate('float32', m * m).fill(1);
const out = allocate('float32', m * m);
matmulCpu({
  a,
  b: a,
  out,
  batch: 1,
  m,
  k: m,
  n: m,
  transposeA: false,
  transposeB: false,
  aBatchStride: 0,
  bBatchStride: 0,
});
if (out[0] !== m) throw new Error(`expected ${m}, got ${out[0]}`);
console.log(JSON.stringify(cpuThreadPoolInfo()));
