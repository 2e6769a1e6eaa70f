import type { MatmulProblem } from '../kernels.js';
import { gemm } from './gemm.js';
import { type ParallelTask, runParallel } from './threads/pool.js';

/** Tile edge for splitting a matmul over threads: large enough that re-packing per tile stays a few percent. */
const tileEdge = 128;

/** A matmul split into tiles of tileRows x tileCols per batch entry (item = (batch, tile row, tile col)). */
export interface MatmulTileArgs extends MatmulProblem {
  tileRows: number;
  tileCols: number;
}

/** One tile of a batched matmul per item: out tile = a rows @ b columns, by the packed GEMM. */
export const matmulTiles: ParallelTask<MatmulTileArgs, 'matmulTiles'> = {
  id: 'matmulTiles',
  run(workspace, args, start, end) {
    const { m, k, n, tileRows, tileCols } = args;
    const tilesM = Math.ceil(m / tileRows);
    const tilesN = Math.ceil(n / tileCols);
    const aRowStride = args.transposeA ? 1 : k;
    const aColStride = args.transposeA ? m : 1;
    const bRowStride = args.transposeB ? 1 : n;
    const bColStride = args.transposeB ? k : 1;
    for (let item = start; item < end; item++) {
      const batchIndex = Math.floor(item / (tilesM * tilesN));
      const tile = item - batchIndex * tilesM * tilesN;
      const i0 = Math.floor(tile / tilesN) * tileRows;
      const j0 = (tile % tilesN) * tileCols;
      gemm(workspace, {
        rows: Math.min(tileRows, m - i0),
        cols: Math.min(tileCols, n - j0),
        depth: k,
        left: {
          data: args.a,
          offset: batchIndex * args.aBatchStride + i0 * aRowStride,
          rowStride: aRowStride,
          colStride: aColStride,
        },
        right: {
          data: args.b,
          offset: batchIndex * args.bBatchStride + j0 * bColStride,
          rowStride: bRowStride,
          colStride: bColStride,
        },
        product: { data: args.out, offset: batchIndex * m * n + i0 * n + j0, rowStride: n, colStride: 1 },
        accumulate: false,
      });
    }
  },
};

/**
 * Fast CPU matmul: the packed GEMM (gemm.ts) over tiles of out, spread over the thread pool.
 * Tiles split m and n only, so every element sums over k in the same order as the one-tile
 * path, and any thread count gives the same bits.
 */
export function matmulCpu(problem: MatmulProblem): void {
  const { batch, m, n, k } = problem;
  if (batch * m * n === 0) return;
  const args: MatmulTileArgs = { ...problem, tileRows: Math.min(m, tileEdge), tileCols: Math.min(n, tileEdge * 2) };
  const items = batch * Math.ceil(m / args.tileRows) * Math.ceil(n / args.tileCols);
  runParallel(matmulTiles, args, ['out'], items, (batch * m * n * Math.max(k, 1)) / items);
}
