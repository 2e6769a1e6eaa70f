import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  MessageChannel,
  type MessagePort,
  parentPort,
  receiveMessageOnPort,
  Worker,
  workerData,
} from 'node:worker_threads';

/**
 * The only file that knows Node's worker_threads: start a worker from a module file, post it jobs,
 * and hear what went wrong. A browser build swaps this file for one on Web Workers with the same
 * exports; the pool (pool.ts) and the worker's program (worker.ts) stay as they are.
 */

/** What a worker receives when it starts. */
export interface WorkerStart {
  /** The WebAssembly SIMD module's bytes, or null where SIMD cannot run. */
  simdModule: Uint8Array<ArrayBuffer> | null;
}

/** The main thread's handle on one worker. */
export interface WorkerHandle<Job> {
  post(job: Job): void;
  /**
   * The next failure text the worker reported, taken without waiting, or undefined: the main thread
   * reads it while blocked in Atomics.wait, where no event can arrive.
   */
  takeFailure(): string | undefined;
  terminate(): void;
}

/** The worker's side: its start data, its jobs, and its failure channel. */
export interface WorkerSide<Job> {
  start: WorkerStart;
  onJob(handler: (job: Job) => void): void;
  reportFailure(text: string): void;
}

interface NodeWorkerData {
  start: WorkerStart;
  failures: MessagePort;
  /** For a TypeScript program: the tsx hook and the program that typescript-worker.cjs loads. */
  typescript?: { hook: string; entry: string };
}

/**
 * Starts a worker running the module at `entry`. `onCrash` hears an error the worker did not catch:
 * its module failed to load, or it died; the worker never keeps the process alive.
 */
export function startWorker<Job>(entry: URL, start: WorkerStart, onCrash: (error: Error) => void): WorkerHandle<Job> {
  const { port1, port2 } = new MessageChannel();
  const data: NodeWorkerData = { start, failures: port2 };
  let program = entry;
  // Compiled JavaScript (dist/) starts as it is; TypeScript source through the tsx hook.
  if (entry.pathname.endsWith('.ts')) {
    data.typescript = { hook: createRequire(import.meta.url).resolve('tsx/cjs'), entry: fileURLToPath(entry) };
    program = new URL('./typescript-worker.cjs', import.meta.url);
  }
  const worker = new Worker(program, { workerData: data, transferList: [port2] });
  worker.unref();
  port1.unref();
  worker.on('error', onCrash);
  return {
    post: (job) => worker.postMessage(job),
    takeFailure: () => {
      const message = receiveMessageOnPort(port1);
      return message === undefined ? undefined : String(message.message);
    },
    terminate: () => void worker.terminate(),
  };
}

/** The running worker's side; throws when called on the main thread. */
export function workerSide<Job>(): WorkerSide<Job> {
  if (parentPort === null) throw new Error('workerSide: called outside a worker thread');
  const port = parentPort;
  const data = workerData as NodeWorkerData;
  return {
    start: data.start,
    onJob: (handler) => port.on('message', handler),
    reportFailure: (text) => data.failures.postMessage(text),
  };
}
