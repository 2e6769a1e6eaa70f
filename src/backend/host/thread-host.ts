import { nodeBuiltin } from './environment.js';
import { nodeThreads, nodeWorkerSide } from './node-threads.js';
import type { ThreadHost, WorkerSide } from './threads.js';
import { webThreads, webWorkerSide } from './web-threads.js';

/**
 * Where the CPU kernels' threads come from: Node's worker_threads, or Web Workers in a browser.
 * The pool (cpu/threads/pool.ts) and the workers' program (worker.ts) see only the interfaces of
 * threads.ts, so the same kernels and the same fork-join run on both.
 */

let host: ThreadHost | string | undefined;

/**
 * This host's threads, or why it has none (the kernels then run on the calling thread alone).
 * Decided once: the pool asks on every parallel call, and the answer cannot change in a process.
 */
export function threadHost(): ThreadHost | string {
  host ??= nodeBuiltin('node:worker_threads') !== null ? nodeThreads() : webThreads();
  return host;
}

/** The side of the worker this code runs in; throws outside a worker. */
export function workerSide<Job>(): WorkerSide<Job> {
  return nodeBuiltin('node:worker_threads') !== null ? nodeWorkerSide<Job>() : webWorkerSide<Job>();
}
