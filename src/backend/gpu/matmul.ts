import type { MatmulProblem } from '../kernels.js';
import type { KernelThis, Volume } from './gpujs.js';
import type { GpuKernelRunner } from './kernel-runner.js';
import { reductionChunk, sumChunks } from './volumes.js';

/**
 * Batched matmul on gpu.js: one invocation per output element and reduction chunk. The output is
 * [n, m, batch * chunks] (x = column j, y = row i, z = batch and chunk), so no index exceeds a
 * single dimension; chunks of the k axis are summed on the host.
 */
export function matmulChunk(this: KernelThis, a: Volume, b: Volume): number {
  const j = this.thread.x;
  const i = this.thread.y;
  // +0.5 keeps floor() exact even where float division rounds an integer quotient down.
  const batchIndex = Math.floor((this.thread.z + 0.5) / this.constants.CHUNKS);
  const chunk = this.thread.z - batchIndex * this.constants.CHUNKS;
  // A side with one matrix (batch stride 0) is read at batch 0 for every batch.
  const aBatch = Math.min(batchIndex, this.constants.A_BATCHES - 1);
  const bBatch = Math.min(batchIndex, this.constants.B_BATCHES - 1);
  let sum = 0;
  for (let q = 0; q < this.constants.CHUNK; q++) {
    const p = chunk * this.constants.CHUNK + q;
    if (p < this.constants.K) {
      // Stored row/column of op(A)[i, p] and op(B)[p, j]; the TRANSPOSE constants are 0 or 1.
      const aRow = i + this.constants.TRANSPOSE_A * (p - i);
      const aCol = p + this.constants.TRANSPOSE_A * (i - p);
      const bRow = p + this.constants.TRANSPOSE_B * (j - p);
      const bCol = j + this.constants.TRANSPOSE_B * (p - j);
      sum += a[aBatch][aRow][aCol] * b[bBatch][bRow][bCol];
    }
  }
  return sum;
}

/** Runs one matmul problem (float32 storage) through a shape-specialised kernel. */
export function matmulGpu(runner: GpuKernelRunner, problem: MatmulProblem): void {
  const { batch, m, k, n, transposeA, transposeB } = problem;
  const chunk = Math.min(k, reductionChunk);
  const chunks = Math.ceil(k / chunk);
  const aBatches = problem.aBatchStride === 0 ? 1 : batch;
  const bBatches = problem.bBatchStride === 0 ? 1 : batch;
  const a = (problem.a as Float32Array).subarray(0, aBatches * m * k);
  const b = (problem.b as Float32Array).subarray(0, bBatches * k * n);
  const partial = runner.run(
    'matmul',
    matmulChunk,
    [n, m, batch * chunks],
    {
      K: k,
      CHUNK: chunk,
      CHUNKS: chunks,
      A_BATCHES: aBatches,
      B_BATCHES: bBatches,
      TRANSPOSE_A: transposeA ? 1 : 0,
      TRANSPOSE_B: transposeB ? 1 : 0,
    },
    [
      [a, transposeA ? [m, k, aBatches] : [k, m, aBatches]],
      [b, transposeB ? [k, n, bBatches] : [n, k, bBatches]],
    ],
  );
  sumChunks(partial, batch, chunks, m * n, problem.out as Float32Array);
}
