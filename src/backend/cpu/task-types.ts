import type { Storage } from '../../tensor/dtype.js';
import type { Conv2dGeometry, MatmulProblem } from '../kernels.js';

/**
 * Arguments of the parallel tasks (matmul-task.ts, planewise-tasks.ts, gemm-conv-tasks.ts). A task
 * computes work items [start, end) of one kernel call, writing outputs that no other item writes,
 * so any split of the items over threads gives the same bits. Tasks call kernels only through
 * `lib` (see kernel-library.ts), because they also run in the workers from their source text.
 */

/** A matmul split into tiles of tileRows x tileCols per batch entry (item = (batch, tile row, tile col)). */
export interface MatmulTaskArgs extends MatmulProblem {
  tileRows: number;
  tileCols: number;
}

/** Convolution operands: `x` is the input (or its gradient), `w` the weight (or its gradient), `y` the output (or its gradient). */
export interface ConvTaskArgs {
  x: Storage;
  w: Storage;
  y: Storage;
  geometry: Conv2dGeometry;
  /** Output-channel rows per item of the GEMM weight-gradient task. */
  rowsPerItem: number;
  /** Output positions per item of the GEMM forward and input-gradient tasks (below the plane size only for 1x1 convs). */
  columnsPerItem: number;
}
