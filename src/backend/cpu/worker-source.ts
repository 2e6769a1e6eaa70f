import { kernelLibrary } from './kernel-library.js';
import { taskTable } from './task-table.js';

/**
 * The worker threads' program, assembled from the source text of the very functions the main
 * thread runs (kernel-library.ts and task-table.ts). A source string needs no file on disk and no
 * TypeScript loader, so the pool works the same under tsx, vitest and the compiled dist/.
 * The kernels and tasks therefore reference only their parameters, `lib`, and same-module kernels.
 */

/** The body of one worker: builds the kernel and task tables, then runs chunks of posted jobs. */
const workerMain = `
const { parentPort, workerData } = require('node:worker_threads');
const workspace = { arrays: {}, simd: null };
let simdKernels = null;
parentPort.on('message', (job) => {
  const control = job.control;
  const task = tasks[job.task];
  try {
    if (job.simd && simdKernels === null) simdKernels = lib.instantiateSimdKernels(workerData.simdModule);
    workspace.simd = job.simd ? simdKernels : null;
    for (;;) {
      const chunk = Atomics.add(control, 0, 1);
      if (chunk >= job.chunks) break;
      const start = chunk * job.chunkSize;
      task(lib, workspace, job.args, start, Math.min(job.count, start + job.chunkSize));
      Atomics.add(control, 3, 1);
      Atomics.add(control, 1, 1);
      Atomics.notify(control, 1);
    }
  } catch (error) {
    workerData.errorPort.postMessage(String((error && error.stack) || error));
    Atomics.store(control, 2, 1);
    Atomics.notify(control, 1);
  }
});
`;

/** The source text of a named function declaration, checked to be one (not an arrow or a class). */
function declarationSource(name: string, fn: unknown): string {
  const text = String(fn);
  if (typeof fn !== 'function' || !new RegExp(`^function\\s+${name}\\s*\\(`).test(text)) {
    throw new Error(
      `cpu worker: ${name} is not a plain function declaration after transpiling, so it cannot be shipped to a worker`,
    );
  }
  return text;
}

/** The worker program's source (CommonJS script for `new Worker(source, { eval: true })`). */
export function workerSource(): string {
  const parts = ["'use strict';", 'const __name = (target) => target;'];
  for (const [name, fn] of Object.entries(kernelLibrary)) parts.push(declarationSource(name, fn));
  parts.push(`const lib = { ${Object.keys(kernelLibrary).join(', ')} };`);
  for (const [name, fn] of Object.entries(taskTable)) parts.push(declarationSource(name, fn));
  parts.push(`const tasks = { ${Object.keys(taskTable).join(', ')} };`);
  parts.push(workerMain);
  return parts.join('\n');
}
