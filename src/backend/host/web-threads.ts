import type { ThreadHost, WorkerSide, WorkerStart } from './threads.js';

/**
 * Threads in a browser: module Web Workers sharing memory with the thread that runs the engine.
 * The pool blocks in Atomics.wait, which a page's main thread may not do, so threads are offered
 * only inside a dedicated worker of a cross-origin isolated page (served with
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`,
 * without which there is no SharedArrayBuffer). A failure text travels through shared memory
 * because the blocked engine thread cannot receive a message.
 */

/** Bytes a worker's failure report may take (longer texts are cut). */
const failureBytes = 8192;

/** The first message a worker receives; every later one is a job. */
interface WebWorkerStart {
  start: WorkerStart;
  /** [byte length of the text] then the UTF-8 text of the worker's last failure. */
  failure: SharedArrayBuffer;
}

/** The parts of a dedicated worker's global scope that the worker side uses. */
interface DedicatedWorkerScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
}

/** Why this browser context cannot run the pool's workers, or null when it can. */
function webThreadsProblem(): string | null {
  const scope = globalThis as { Worker?: unknown; crossOriginIsolated?: boolean; WorkerGlobalScope?: unknown };
  if (typeof scope.Worker !== 'function') return 'this host has neither Node worker_threads nor Web Workers';
  if (typeof SharedArrayBuffer !== 'function' || scope.crossOriginIsolated !== true) {
    return 'the page is not cross-origin isolated (serve it with COOP: same-origin and COEP: require-corp), so there is no SharedArrayBuffer';
  }
  if (scope.WorkerGlobalScope === undefined) {
    return "a page's main thread may not block in Atomics.wait: run arcgrad in a dedicated Worker to use threads";
  }
  return null;
}

/** Web Workers as a ThreadHost, or why this context cannot use them. */
export function webThreads(): ThreadHost | string {
  const problem = webThreadsProblem();
  if (problem !== null) return problem;
  return {
    name: 'web workers',
    cores: Math.max(1, navigator.hardwareConcurrency || 1),
    startWorker(entry, start, onCrash) {
      const worker = new Worker(entry, { type: 'module', name: 'arcgrad-cpu-worker' });
      const failure = new SharedArrayBuffer(4 + failureBytes);
      const length = new Int32Array(failure, 0, 1);
      const started = new Promise<void>((resolve, reject) => {
        // The worker's only message is the one saying its program runs.
        worker.addEventListener('message', () => resolve(), { once: true });
        worker.addEventListener('error', (event) => {
          const error = new Error(event.message || `the worker program ${entry.href} could not be loaded`);
          reject(error);
          onCrash(error);
        });
      });
      started.catch(() => {});
      worker.postMessage({ start, failure } satisfies WebWorkerStart);
      return {
        started,
        post: (job) => worker.postMessage(job),
        takeFailure: () => {
          const bytes = Atomics.exchange(length, 0, 0);
          if (bytes === 0) return undefined;
          // TextDecoder refuses views of shared memory: decode a private copy.
          return new TextDecoder().decode(new Uint8Array(failure, 4, bytes).slice());
        },
        terminate: () => worker.terminate(),
      };
    },
  };
}

/** The running Web Worker's side; throws outside a worker. */
export function webWorkerSide<Job>(): WorkerSide<Job> {
  if ((globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === undefined) {
    throw new Error('workerSide: called outside a worker thread');
  }
  const scope = globalThis as unknown as DedicatedWorkerScope;
  let started: WebWorkerStart | null = null;
  let handler: ((job: Job) => void) | null = null;
  scope.onmessage = (event) => {
    if (started === null) {
      started = event.data as WebWorkerStart;
      scope.postMessage('started');
    } else handler?.(event.data as Job);
  };
  return {
    get start() {
      if (started === null) throw new Error('cpu worker: a job arrived before the start message');
      return started.start;
    },
    onJob: (next) => {
      handler = next;
    },
    reportFailure: (text) => {
      if (started === null) return;
      const encoded = new TextEncoder().encode(text).subarray(0, failureBytes);
      new Uint8Array(started.failure, 4, encoded.length).set(encoded);
      Atomics.store(new Int32Array(started.failure, 0, 1), 0, encoded.length);
    },
  };
}
