import { instantiateSimdKernels, type SimdKernels } from '../../simd/simd-gemm.js';
import { conv2dBackwardInputGemm, conv2dBackwardWeightGemm, conv2dForwardGemm } from '../conv2d-gemm.js';
import {
  conv2dBackwardInputPlanewise,
  conv2dBackwardWeightPlanewise,
  conv2dForwardPlanewise,
} from '../conv2d-planewise.js';
import { matmulTiles } from '../matmul.js';
import { newWorkspace } from '../workspace.js';
import type { ParallelJob, ParallelTask, TaskId } from './pool.js';
import { workerSide } from './thread-host.js';

/**
 * The program of every CPU worker thread: the same task modules the main thread runs, and a loop
 * that claims chunks of each posted job through its atomic counters (see pool.ts).
 */

/** Every parallel task by id; the type makes each key name its own task and leaves none out. */
const tasks: { readonly [Id in TaskId]: ParallelTask<never, Id> } = {
  matmulTiles,
  conv2dForwardGemm,
  conv2dBackwardInputGemm,
  conv2dBackwardWeightGemm,
  conv2dForwardPlanewise,
  conv2dBackwardInputPlanewise,
  conv2dBackwardWeightPlanewise,
};

const side = workerSide<ParallelJob>();
const workspace = newWorkspace();
let simdKernels: SimdKernels | null = null;

side.onJob((job) => {
  const { control } = job;
  const task = tasks[job.task];
  try {
    if (job.simd && simdKernels === null) {
      if (side.start.simdModule === null) throw new Error('cpu worker: SIMD was asked for but no module was sent');
      simdKernels = instantiateSimdKernels(side.start.simdModule);
    }
    workspace.simd = job.simd ? simdKernels : null;
    for (;;) {
      const chunk = Atomics.add(control, 0, 1);
      if (chunk >= job.chunks) break;
      const start = chunk * job.chunkSize;
      // The arguments crossed the thread boundary as structured clones of the task's own Args.
      task.run(workspace, job.args as never, start, Math.min(job.count, start + job.chunkSize));
      Atomics.add(control, 3, 1);
      Atomics.add(control, 1, 1);
      Atomics.notify(control, 1);
    }
  } catch (error) {
    side.reportFailure(String((error as Error)?.stack ?? error));
    Atomics.store(control, 2, 1);
    Atomics.notify(control, 1);
  }
});
