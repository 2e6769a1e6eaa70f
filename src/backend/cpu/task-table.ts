import { gemmConvBackwardInput, gemmConvBackwardWeight, gemmConvForward } from './gemm-conv-tasks.js';
import { matmulTiles } from './matmul-task.js';
import { planewiseBackwardInput, planewiseBackwardWeight, planewiseForward } from './planewise-tasks.js';

/** Every parallel task by name: the main thread and the workers look tasks up here. */
export const taskTable = {
  matmulTiles,
  planewiseForward,
  planewiseBackwardInput,
  planewiseBackwardWeight,
  gemmConvForward,
  gemmConvBackwardInput,
  gemmConvBackwardWeight,
};

/** The name of a parallel task. */
export type TaskName = keyof typeof taskTable;
