import {
  gemmConvBackwardInput,
  gemmConvBackwardWeight,
  gemmConvForward,
  matmulTiles,
  planewiseBackwardInput,
  planewiseBackwardWeight,
  planewiseForward,
} from './tasks.js';

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
