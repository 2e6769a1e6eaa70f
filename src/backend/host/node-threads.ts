import type { MessagePort } from 'node:worker_threads';
import { nodeBuiltin } from './environment.js';
import type { ThreadHost, WorkerSide, WorkerStart } from './threads.js';

/**
 * Threads under Node: worker_threads, reached through nodeBuiltin so that a browser bundle of the
 * pool carries no Node import. A TypeScript program (development, Vitest) starts through
 * typescript-worker.cjs, compiled JavaScript (dist/) as it is.
 */

interface NodeWorkerData {
  start: WorkerStart;
  failures: MessagePort;
  /** For a TypeScript program: the tsx hook and the program that typescript-worker.cjs loads. */
  typescript?: { hook: string; entry: string };
}

function workerThreads(): typeof import('node:worker_threads') {
  const threads = nodeBuiltin('node:worker_threads');
  if (threads === null) throw new Error('node-threads: not running under Node');
  return threads;
}

/** Node's worker_threads as a ThreadHost. */
export function nodeThreads(): ThreadHost {
  const os = nodeBuiltin('node:os');
  return {
    name: 'node worker_threads',
    cores: os?.availableParallelism() ?? 1,
    startWorker(entry, start, onCrash) {
      const { MessageChannel, Worker, receiveMessageOnPort } = workerThreads();
      const { port1, port2 } = new MessageChannel();
      const data: NodeWorkerData = { start, failures: port2 };
      let program = entry;
      if (entry.pathname.endsWith('.ts')) {
        const require = nodeBuiltin('node:module')?.createRequire(import.meta.url);
        const fileURLToPath = nodeBuiltin('node:url')?.fileURLToPath;
        if (require === undefined || fileURLToPath === undefined)
          throw new Error('node-threads: node:module is missing');
        data.typescript = { hook: require.resolve('tsx/cjs'), entry: fileURLToPath(entry) };
        program = new URL('./typescript-worker.cjs', import.meta.url);
      }
      const worker = new Worker(program, { workerData: data, transferList: [port2] });
      worker.unref();
      port1.unref();
      worker.on('error', onCrash);
      const started = new Promise<void>((resolve, reject) => {
        worker.once('online', resolve);
        worker.once('error', reject);
      });
      // A failed start is reported through onCrash; the promise is for those who await it.
      started.catch(() => {});
      return {
        started,
        post: (job) => worker.postMessage(job),
        takeFailure: () => {
          const message = receiveMessageOnPort(port1);
          return message === undefined ? undefined : String(message.message);
        },
        terminate: () => void worker.terminate(),
      };
    },
  };
}

/** The running Node worker's side; throws on the main thread. */
export function nodeWorkerSide<Job>(): WorkerSide<Job> {
  const { parentPort, workerData } = workerThreads();
  if (parentPort === null) throw new Error('workerSide: called outside a worker thread');
  const port = parentPort;
  const data = workerData as NodeWorkerData;
  return {
    start: data.start,
    onJob: (handler) => port.on('message', handler),
    reportFailure: (text) => data.failures.postMessage(text),
  };
}
