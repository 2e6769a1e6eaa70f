import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Storage } from '../../tensor/dtype.js';
import { getCpuSimd, mainThreadSimd, simdModuleBytes } from '../simd/simd-switch.js';
import type { Workspace } from './gemm.js';
import { kernelLibrary } from './kernel-library.js';
import { type TaskName, taskTable } from './task-table.js';
import { workerSource } from './worker-source.js';

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
 */
/** Below this many multiply-adds a call runs on the calling thread: posting a job costs tens of microseconds. */
const minParallelWork = 1 << 18;
/** Chunks per thread: enough to even out unequal items without paying the atomic per item. */
const chunksPerThread = 4;
/** A job whose workers make no progress for this long is reported instead of hanging the process. */
const stallTimeoutMs = 120_000;

interface PoolWorker {
  worker: Worker;
  errors: MessagePort;
}

let configuredThreads: number | null = null;
let workers: PoolWorker[] = [];
/** Why the pool is off (a worker failed to start or crashed), or null while it is usable. */
let poolDisabledReason: string | null = null;
const mainWorkspace: Workspace = { arrays: {}, simd: null };
/** Counters for cpuThreadPoolInfo: kernel calls split over threads, and chunks the workers ran. */
let parallelCalls = 0;
let workerChunks = 0;
const sharedCopies = new Map<string, SharedArrayBuffer>();

/** Parses ARCGRAD_THREADS, defaulting to the number of cores. */
function threadsFromEnvironment(): number {
  const raw = process.env.ARCGRAD_THREADS;
  if (raw === undefined || raw === '') return availableParallelism();
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
  while (workers.length > threads - 1) void (workers.pop() as PoolWorker).worker.terminate();
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
  /** Why the kernels run single-threaded despite threads > 1 (a worker failed), or null. */
  problem: string | null;
  /** Whether float32 GEMMs run on the WebAssembly SIMD kernel (else the scalar TypeScript one). */
  simd: boolean;
}

/** The pool's configuration and counters. */
export function cpuThreadPoolInfo(): CpuThreadPoolInfo {
  return {
    threads: getCpuThreads(),
    workers: workers.length,
    parallelCalls,
    workerChunks,
    problem: poolDisabledReason,
    simd: getCpuSimd(),
  };
}

function disablePool(reason: string): void {
  poolDisabledReason = reason;
  for (const { worker } of workers) void worker.terminate();
  workers = [];
}

/** Starts workers until the pool has `count`; returns false (and disables the pool) if that fails. */
function ensureWorkers(count: number): boolean {
  if (poolDisabledReason !== null) return false;
  try {
    const source = workerSource();
    while (workers.length < count) {
      const { port1, port2 } = new MessageChannel();
      const workerData = { errorPort: port2, simdModule: simdModuleBytes() };
      const worker = new Worker(source, { eval: true, workerData, transferList: [port2] });
      worker.unref();
      port1.unref();
      worker.on('error', (error) => disablePool(`a CPU worker crashed: ${error.message}`));
      workers.push({ worker, errors: port1 });
    }
    return true;
  } catch (error) {
    disablePool(`CPU workers could not start: ${(error as Error).message}`);
    return false;
  }
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
 * Runs task `name` over items [0, count) with `args`, on as many threads as configured and as the
 * work (about `workPerItem` multiply-adds an item) justifies. Storage in `args` that is not on a
 * SharedArrayBuffer is copied to shared scratch; the `outputs` among them are copied back after.
 */
export function runTask<Args extends object>(
  name: TaskName,
  args: Args,
  outputs: readonly (keyof Args & string)[],
  count: number,
  workPerItem: number,
): void {
  const task = taskTable[name] as unknown as (
    lib: typeof kernelLibrary,
    workspace: Workspace,
    args: Args,
    start: number,
    end: number,
  ) => void;
  mainWorkspace.simd = mainThreadSimd();
  const threads = Math.min(getCpuThreads(), count);
  if (threads <= 1 || count * workPerItem < minParallelWork || !ensureWorkers(threads - 1)) {
    task(kernelLibrary, mainWorkspace, args, 0, count);
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
  // [next chunk to claim, chunks finished, a worker failed, chunks the workers finished]
  const control = new Int32Array(new SharedArrayBuffer(16));
  parallelCalls++;
  const job = { task: name, args: shared, control, chunkSize, chunks, count, simd: mainWorkspace.simd !== null };
  for (let w = 0; w < threads - 1; w++) workers[w].worker.postMessage(job);
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
      task(kernelLibrary, mainWorkspace, shared as Args, start, Math.min(count, start + chunkSize));
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
        const message = receiveMessageOnPort(workers[w].errors);
        if (message) messages.push(String(message.message));
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
