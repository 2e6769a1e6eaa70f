import { kernelTimerStart, kernelTimerStop } from '../../tensor/profiler.js';
import type { MatmulProblem } from '../kernels.js';
import type { MatmulTaskArgs } from './task-types.js';
import { runTask } from './thread-pool.js';

/** Tile edge for splitting a matmul over threads: large enough that re-packing per tile stays a few percent. */
const tileEdge = 128;

/**
 * Fast CPU matmul: the packed GEMM (gemm.ts) over tiles of out, spread over the thread pool.
 * Tiles split m and n only, so every element sums over k in the same order as the one-tile
 * path, and any thread count gives the same bits.
 */
export function matmulCpu(problem: MatmulProblem): void {
  const started = kernelTimerStart();
  const { batch, m, n, k } = problem;
  if (batch * m * n === 0) {
    kernelTimerStop('matmul', started);
    return;
  }
  const args: MatmulTaskArgs = { ...problem, tileRows: Math.min(m, tileEdge), tileCols: Math.min(n, tileEdge * 2) };
  const items = batch * Math.ceil(m / args.tileRows) * Math.ceil(n / args.tileCols);
  runTask('matmulTiles', args, ['out'], items, (batch * m * n * Math.max(k, 1)) / items);
  kernelTimerStop('matmul', started);
}
