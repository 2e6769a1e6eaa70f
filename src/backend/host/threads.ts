/**
 * What a source of threads provides (node-threads.ts, web-threads.ts) and what the pool and the
 * workers' program use: a worker's start data, the handle on a worker, and the worker's own side.
 */

/** What a worker receives when it starts. */
export interface WorkerStart {
  /** The WebAssembly SIMD module's bytes, or null where SIMD cannot run. */
  simdModule: Uint8Array<ArrayBuffer> | null;
}

/** The calling thread's handle on one worker. */
export interface WorkerHandle<Job> {
  /** Settles once the worker's program runs (rejects when it cannot start). */
  readonly started: Promise<void>;
  post(job: Job): void;
  /**
   * The next failure text the worker reported, taken without waiting, or undefined: the calling
   * thread reads it while blocked in Atomics.wait, where no event can arrive.
   */
  takeFailure(): string | undefined;
  terminate(): void;
}

/** The worker's side: its start data, its jobs, and its failure channel. */
export interface WorkerSide<Job> {
  /** The start data; read it from a job handler (in a browser it arrives just before the first job). */
  readonly start: WorkerStart;
  onJob(handler: (job: Job) => void): void;
  reportFailure(text: string): void;
}

/** A source of threads. */
export interface ThreadHost {
  /** What the threads are, for backendInfo(): 'node worker_threads' or 'web workers'. */
  readonly name: string;
  /** Logical cores of the machine, the default thread count. */
  readonly cores: number;
  /** Starts a worker running the module at `entry`; `onCrash` hears an error the worker did not catch. */
  startWorker<Job>(entry: URL, start: WorkerStart, onCrash: (error: Error) => void): WorkerHandle<Job>;
}
