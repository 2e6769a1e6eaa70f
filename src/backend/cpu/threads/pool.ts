import type { Storage } from '../../../tensor/dtype.js';
import { environmentVariable } from '../../host/environment.js';
import { threadHost } from '../../host/thread-host.js';
import type { WorkerHandle } from '../../host/threads.js';
import { getCpuSimd, mainThreadSimd, simdModuleBytes } from '../../simd/simd-switch.js';
import { newWorkspace, type Workspace } from '../workspace.js';

/**
 * Fork-join over worker threads sharing memory. A kernel call is split into work items; the main
 * thread copies the operands into SharedArrayBuffer scratch (reused across calls), posts the job to
 * every worker, then all threads claim chunks of items through an atomic counter, the main thread
 * blocks (Atomics.wait) until every chunk is done, and copies the outputs back. Kernels stay
 * synchronous, so callers never see the threads. The pool is created on first parallel call,
 * resized by setCpuThreads, and its workers are unref'd so they never keep the process alive.
 *
 * Why copies instead of allocating every tensor on shared memory: V8 does not count SharedArrayBuffer
 * memory towards its garbage-collection pressure (process.memoryUsage().external stays flat), so
 * dead shared tensors were collected too late: a FaceMobileNet training step grew the process by
 * about 1.3 GB per step. Inside a BufferPool.run scope (the trainer's steps) tensors do live on
 * shared memory, recycled by the pool rather than collected, and are used in place: no copies.
 *
 * The workers run worker.ts, a module that imports the same kernel files as the main thread; the
 * threads themselves come from thread-host.ts (Node's worker_threads, or Web Workers in a browser).
 */

/** The kernels that can be split over threads, one name per ParallelTask (worker.ts maps each to its task). */
export type TaskId =
  | 'matmulTiles'
  | 'conv2dForwardGemm'
  | 'conv2dBackwardInputGemm'
  | 'conv2dBackwardWeightGemm'
  | 'conv2dForwardPlanewise'
  | 'conv2dBackwardInputPlanewise'
  | 'conv2dBackwardWeightPlanewise';

/**
 * A kernel split into work items: `run` computes items [start, end) of one call, writing outputs
 * that no other item writes, so any split of the items over threads gives the same bits.
 */
export interface ParallelTask<Args extends object, Id extends TaskId = TaskId> {
  readonly id: Id;
  run(workspace: Workspace, args: Args, start: number, end: number): void;
}

/** One kernel call as posted to the workers. */
export interface ParallelJob {
  task: TaskId;
  args: object;
  /** [next chunk to claim, chunks finished, a worker failed, chunks the workers finished] */
  control: Int32Array;
  chunkSize: number;
  chunks: number;
  count: number;
  simd: boolean;
}
/** Below this many multiply-adds a call runs on the calling thread: posting a job costs tens of microseconds. */
const minParallelWork = 1 << 18;
/** Chunks per thread: enough to even out unequal items without paying the atomic per item. */
const chunksPerThread = 4;
/** A job whose workers make no progress for this long is reported instead of hanging the process. */
const stallTimeoutMs = 120_000;

/** The workers' program: TypeScript source beside this file in development, compiled JavaScript in dist/. */
const defaultWorkerEntry = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);

let workerEntry = defaultWorkerEntry;
let configuredThreads: number | null = null;
let workers: WorkerHandle<ParallelJob>[] = [];
/** Why the pool is off (a worker failed to start or crashed), or null while it is usable. */
let poolDisabledReason: string | null = null;
const mainWorkspace: Workspace = newWorkspace();
/** Counters for cpuThreadPoolInfo: kernel calls split over threads, and chunks the workers ran. */
let parallelCalls = 0;
let workerChunks = 0;
const sharedCopies = new Map<string, SharedArrayBuffer>();

/** Parses ARCGRAD_THREADS, defaulting to the number of cores (1 where the host has no threads). */
function threadsFromEnvironment(): number {
  const raw = environmentVariable('ARCGRAD_THREADS');
  if (raw === undefined || raw === '') {
    const host = threadHost();
    return typeof host === 'string' ? 1 : host.cores;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`ARCGRAD_THREADS: expected a positive integer, got '${raw}'`);
  }
  return value;
}

/** The number of threads (main included) the CPU kernels use: ARCGRAD_THREADS, else the core count. */
export function getCpuThreads(): number {
  if (configuredThreads === null) configuredThreads = threadsFromEnvironment();
  return configuredThreads;
}

/** Sets the number of threads (main included) the CPU kernels use; 1 runs everything on the calling thread. */
export function setCpuThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`setCpuThreads: threads must be a positive integer, got ${threads}`);
  }
  configuredThreads = threads;
  while (workers.length > threads - 1) workers.pop()?.terminate();
}

/**
 * Where the workers load their program from (default: worker.ts or worker.js beside this file), for
 * bundlers that move files and for tests; undefined restores the default. Running workers stop,
 * and a pool turned off by a failed start may try again.
 */
export function setCpuWorkerEntry(entry: URL | undefined): void {
  workerEntry = entry ?? defaultWorkerEntry;
  for (const worker of workers) worker.terminate();
  workers = [];
  poolDisabledReason = null;
}

/** What the pool is doing: for tests, benchmarks and a user wondering whether both cores work. */
export interface CpuThreadPoolInfo {
  /** Threads the kernels may use, main included. */
  threads: number;
  /** Worker threads started. */
  workers: number;
  /** Kernel calls split over threads so far. */
  parallelCalls: number;
  /** Work chunks the workers (not the main thread) ran so far. */
  workerChunks: number;
  /** Why the kernels run on the calling thread alone (the host has no threads, or a worker failed), or null. */
  problem: string | null;
  /** Whether float32 GEMMs run on the WebAssembly SIMD kernel (else the scalar TypeScript one). */
  simd: boolean;
  /** Where the threads come from ('node worker_threads', 'web workers'), or null where there are none. */
  host: string | null;
}

/** The pool's configuration and counters. */
export function cpuThreadPoolInfo(): CpuThreadPoolInfo {
  const host = threadHost();
  return {
    threads: getCpuThreads(),
    workers: workers.length,
    parallelCalls,
    workerChunks,
    problem: poolDisabledReason ?? (typeof host === 'string' ? host : null),
    simd: getCpuSimd(),
    host: typeof host === 'string' ? null : host.name,
  };
}

/**
 * Starts the worker threads now and resolves once each runs its program. Optional under Node; in a
 * browser a worker starts only after the thread that created it returns to its event loop, so
 * await this before the first kernel, or the kernels run on the calling thread until the workers
 * are up (the results are the same either way).
 */
export async function startCpuThreads(): Promise<CpuThreadPoolInfo> {
  const threads = getCpuThreads();
  if (threads > 1 && ensureWorkers(threads - 1)) {
    try {
      await Promise.all(workers.map((worker) => worker.started));
    } catch (error) {
      disablePool(`a CPU worker thread (${workerEntry.href}) could not start: ${(error as Error).message}`);
    }
  }
  return cpuThreadPoolInfo();
}

/** Turns the pool off for good, saying why once on stderr: the kernels still run, on the calling thread alone. */
function disablePool(reason: string): void {
  if (poolDisabledReason !== null) return;
  poolDisabledReason = reason;
  console.error(`arcgrad: CPU kernels run on the calling thread only: ${reason}`);
  for (const worker of workers) worker.terminate();
  workers = [];
}

/** Starts workers until the pool has `count`; false once the pool is off. */
function ensureWorkers(count: number): boolean {
  if (poolDisabledReason !== null) return false;
  const host = threadHost();
  if (typeof host === 'string') {
    disablePool(host);
    return false;
  }
  const entry = workerEntry;
  while (workers.length < count) {
    const onCrash = (error: Error) => {
      // A worker of an entry replaced since (setCpuWorkerEntry) says nothing about the current one.
      if (entry === workerEntry) disablePool(`a CPU worker thread (${entry.href}) failed: ${error.message}`);
    };
    try {
      workers.push(host.startWorker<ParallelJob>(entry, { simdModule: simdModuleBytes() }, onCrash));
    } catch (error) {
      disablePool(`a CPU worker thread (${entry.href}) could not start: ${(error as Error).message}`);
      return false;
    }
  }
  return true;
}

function isShared(array: Storage): boolean {
  return array.buffer instanceof SharedArrayBuffer;
}

/** A shared-memory view holding `array`'s values (the array itself when already shared). */
function sharedView(array: Storage, slot: string, copyValues: boolean): Storage {
  if (isShared(array)) return array;
  const bytes = array.byteLength;
  let buffer = sharedCopies.get(slot);
  if (buffer === undefined || buffer.byteLength < bytes) {
    buffer = new SharedArrayBuffer(bytes);
    sharedCopies.set(slot, buffer);
  }
  const view =
    array instanceof Float64Array
      ? new Float64Array(buffer, 0, array.length)
      : new Float32Array(buffer, 0, array.length);
  if (copyValues) view.set(array);
  return view;
}

/**
 * Runs `task` over items [0, count) with `args`, on as many threads as configured and as the work
 * (about `workPerItem` multiply-adds an item) justifies. Storage in `args` that is not on a
 * SharedArrayBuffer is copied to shared scratch; the `outputs` among them are copied back after.
 */
export function runParallel<Args extends object>(
  task: ParallelTask<Args>,
  args: Args,
  outputs: readonly (keyof Args & string)[],
  count: number,
  workPerItem: number,
): void {
  mainWorkspace.simd = mainThreadSimd();
  const threads = Math.min(getCpuThreads(), count);
  if (threads <= 1 || count * workPerItem < minParallelWork || !ensureWorkers(threads - 1)) {
    task.run(mainWorkspace, args, 0, count);
    return;
  }
  const shared = { ...args } as Record<string, unknown>;
  for (const [key, value] of Object.entries(args)) {
    if (value instanceof Float32Array || value instanceof Float64Array) {
      shared[key] = sharedView(value, key, !outputs.includes(key as keyof Args & string));
    }
  }
  const chunkSize = Math.ceil(count / (threads * chunksPerThread));
  const chunks = Math.ceil(count / chunkSize);
  const control = new Int32Array(new SharedArrayBuffer(16));
  parallelCalls++;
  const job: ParallelJob = {
    task: task.id,
    args: shared,
    control,
    chunkSize,
    chunks,
    count,
    simd: mainWorkspace.simd !== null,
  };
  for (let w = 0; w < threads - 1; w++) workers[w].post(job);
  let mainError: unknown = null;
  // Chunks the main thread claimed but did not finish (after an error it claims the rest unrun).
  let abandoned = 0;
  for (;;) {
    const chunk = Atomics.add(control, 0, 1);
    if (chunk >= chunks) break;
    if (mainError !== null) {
      abandoned++;
      continue;
    }
    const start = chunk * chunkSize;
    try {
      task.run(mainWorkspace, shared as Args, start, Math.min(count, start + chunkSize));
      Atomics.add(control, 1, 1);
    } catch (error) {
      mainError = error;
      abandoned++;
    }
  }
  // Return only when no worker still writes into the outputs.
  waitForChunks(control, chunks - abandoned, threads);
  workerChunks += Atomics.load(control, 3);
  if (mainError !== null) throw mainError;
  for (const key of outputs) {
    const original = args[key] as Storage;
    const view = shared[key] as Storage;
    if (view !== original) original.set(view);
  }
}

/** Blocks until `chunks` chunks are finished, surfacing worker errors and stalls. */
function waitForChunks(control: Int32Array, chunks: number, threads: number): void {
  let lastDone = -1;
  let lastProgress = Date.now();
  for (;;) {
    const done = Atomics.load(control, 1);
    if (done >= chunks) return;
    if (Atomics.load(control, 2) !== 0) {
      const messages: string[] = [];
      for (let w = 0; w < threads - 1; w++) {
        const message = workers[w].takeFailure();
        if (message !== undefined) messages.push(message);
      }
      throw new Error(`cpu kernel failed in a worker thread: ${messages.join('\n') || 'no message'}`);
    }
    if (done !== lastDone) {
      lastDone = done;
      lastProgress = Date.now();
    } else if (Date.now() - lastProgress > stallTimeoutMs) {
      disablePool('a CPU worker stopped responding');
      throw new Error(`cpu kernel: worker threads made no progress for ${stallTimeoutMs / 1000} s`);
    }
    Atomics.wait(control, 1, done, 1000);
  }
}
