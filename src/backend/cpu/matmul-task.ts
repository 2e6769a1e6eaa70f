import type { Workspace } from './gemm.js';
import type { KernelLibrary } from './kernel-library.js';
import type { MatmulTaskArgs } from './task-types.js';

/** One tile of a batched matmul per item. */
export function matmulTiles(
  lib: KernelLibrary,
  workspace: Workspace,
  args: MatmulTaskArgs,
  start: number,
  end: number,
): void {
  const { m, k, n, tileRows, tileCols } = args;
  const tilesM = Math.ceil(m / tileRows);
  const tilesN = Math.ceil(n / tileCols);
  const aRow = args.transposeA ? 1 : k;
  const aCol = args.transposeA ? m : 1;
  const bRow = args.transposeB ? 1 : n;
  const bCol = args.transposeB ? k : 1;
  for (let item = start; item < end; item++) {
    const batchIndex = Math.floor(item / (tilesM * tilesN));
    const tile = item - batchIndex * tilesM * tilesN;
    const i0 = Math.floor(tile / tilesN) * tileRows;
    const j0 = (tile % tilesN) * tileCols;
    lib.gemm(
      lib,
      workspace,
      Math.min(tileRows, m - i0),
      Math.min(tileCols, n - j0),
      k,
      args.a,
      batchIndex * args.aBatchStride + i0 * aRow,
      aRow,
      aCol,
      args.b,
      batchIndex * args.bBatchStride + j0 * bCol,
      bRow,
      bCol,
      args.out,
      batchIndex * m * n + i0 * n + j0,
      n,
      false,
    );
  }
}
