import type { KernelThis, Volume } from './gpujs.js';
import {
  type GpuKernelName,
  type GpuKernelRunner,
  kernelSignature,
  type RunnerObservation,
  type VolumeInput,
} from './kernel-runner.js';

/**
 * gpu.js WebGPU kernels for a synchronous engine. WebGPU reads results back only asynchronously
 * (mapAsync), while arcgrad's ops return finished tensors. So the GPU device lives in its own worker
 * (webgpu-worker.ts), where a promise can resolve, and the engine's thread hands it each kernel
 * through shared memory and blocks in Atomics.wait until the output is there. The engine must run
 * in a dedicated worker of a cross-origin isolated page (Atomics.wait and SharedArrayBuffer).
 *
 * Layout of one call: the inputs and the output share one float32 SharedArrayBuffer; `control`
 * holds [state, text bytes], where state is pending, done or failed and the text is the kernel
 * class that ran (done) or the error (failed).
 */

/** What the WebGPU worker's adapter says of itself. */
export interface WebGpuAdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
}

/** States of control[0]. */
export const bridgeState = { idle: 0, pending: 1, done: 2, failed: 3 } as const;

/** Bytes of the text slot (kernel class or error). */
export const bridgeTextBytes = 4096;

/** The request the engine posts for one kernel. */
export interface BridgeRequest {
  type: 'run';
  name: GpuKernelName;
  output: [number, number, number];
  constants: Record<string, number>;
  inputs: { offset: number; length: number; size: [number, number, number] }[];
  resultOffset: number;
  data: SharedArrayBuffer;
}

/** The first message: shared control and text, answered by 'ready' with the adapter, or 'failed'. */
export interface BridgeStart {
  type: 'start';
  control: SharedArrayBuffer;
  text: SharedArrayBuffer;
}

/** How long one kernel may take before the engine gives up on the worker. */
const callTimeoutMs = 120_000;

/** Why this context cannot host the bridge, or null. */
function bridgeProblem(): string | null {
  const scope = globalThis as { crossOriginIsolated?: boolean; WorkerGlobalScope?: unknown; Worker?: unknown };
  if (typeof scope.Worker !== 'function' || typeof navigator === 'undefined' || !('gpu' in navigator)) {
    return 'WebGPU needs a browser with navigator.gpu';
  }
  if (typeof SharedArrayBuffer !== 'function' || scope.crossOriginIsolated !== true) {
    return 'the page is not cross-origin isolated (COOP/COEP headers), so there is no SharedArrayBuffer';
  }
  if (scope.WorkerGlobalScope === undefined) {
    return "a page's main thread may not block in Atomics.wait: run arcgrad in a dedicated Worker";
  }
  return null;
}

/** The engine's side of the WebGPU worker. */
class WebGpuBridge {
  private data = new SharedArrayBuffer(1 << 20);
  private readonly state: Int32Array;

  constructor(
    private readonly worker: Worker,
    readonly control: SharedArrayBuffer,
    readonly text: SharedArrayBuffer,
    readonly adapter: WebGpuAdapterInfo,
  ) {
    this.state = new Int32Array(control);
  }

  private readText(): string {
    const bytes = Math.min(Atomics.load(this.state, 1), bridgeTextBytes);
    return new TextDecoder().decode(new Uint8Array(this.text, 0, bytes).slice());
  }

  /** Runs one kernel on the worker and waits for it; returns the output and the class that ran it. */
  call(
    name: GpuKernelName,
    output: [number, number, number],
    constants: Record<string, number>,
    inputs: VolumeInput[],
  ): { result: Float32Array; kernelClass: string } {
    const outputLength = output[0] * output[1] * output[2];
    const total = inputs.reduce((sum, [data]) => sum + data.length, 0) + outputLength;
    if (this.data.byteLength < total * 4) this.data = new SharedArrayBuffer(total * 4 * 2);
    const shared = new Float32Array(this.data);
    let offset = 0;
    const placed = inputs.map(([data, size]) => {
      shared.set(data, offset);
      const entry = { offset, length: data.length, size };
      offset += data.length;
      return entry;
    });
    Atomics.store(this.state, 0, bridgeState.pending);
    const request: BridgeRequest = {
      type: 'run',
      name,
      output,
      constants,
      inputs: placed,
      resultOffset: offset,
      data: this.data,
    };
    this.worker.postMessage(request);
    const started = Date.now();
    while (Atomics.load(this.state, 0) === bridgeState.pending) {
      if (Date.now() - started > callTimeoutMs) {
        throw new Error(`webgpu: the GPU worker did not finish ${name} within ${callTimeoutMs / 1000} s`);
      }
      Atomics.wait(this.state, 0, bridgeState.pending, 1000);
    }
    const text = this.readText();
    if (Atomics.load(this.state, 0) === bridgeState.failed) throw new Error(`webgpu: ${name} failed: ${text}`);
    return { result: shared.slice(offset, offset + outputLength), kernelClass: text };
  }

  terminate(): void {
    this.worker.terminate();
  }
}

let bridge: WebGpuBridge | null = null;

/** The WebGPU worker's program: TypeScript beside this file under a dev server, JavaScript in a bundle. */
const defaultEntry = new URL(
  import.meta.url.endsWith('.ts') ? './webgpu-worker.ts' : './webgpu-worker.js',
  import.meta.url,
);

/**
 * Starts the WebGPU worker and resolves with its adapter once a device is ready; after that,
 * setBackend('gpu', { mode: 'webgpu' }) runs the gpu kernels there. Rejects with the reason
 * where it cannot run (no navigator.gpu, not isolated, on a page's main thread, no adapter).
 */
export async function startWebGpu(entry: URL = defaultEntry): Promise<WebGpuAdapterInfo> {
  if (bridge !== null) return bridge.adapter;
  const problem = bridgeProblem();
  if (problem !== null) throw new Error(`startWebGpu: ${problem}`);
  const worker = new Worker(entry, { type: 'module', name: 'arcgrad-webgpu' });
  const control = new SharedArrayBuffer(8);
  const text = new SharedArrayBuffer(bridgeTextBytes);
  const adapter = await new Promise<WebGpuAdapterInfo>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<{ type: string; adapter?: WebGpuAdapterInfo; error?: string }>) => {
      if (event.data.type === 'ready' && event.data.adapter) resolve(event.data.adapter);
      else reject(new Error(`startWebGpu: ${event.data.error ?? 'the WebGPU worker failed to start'}`));
    };
    worker.onerror = (event) =>
      reject(new Error(`startWebGpu: the WebGPU worker ${entry.href} failed: ${event.message}`));
    worker.postMessage({ type: 'start', control, text } satisfies BridgeStart);
  }).catch((error: unknown) => {
    worker.terminate();
    throw error;
  });
  worker.onmessage = null;
  bridge = new WebGpuBridge(worker, control, text, adapter);
  return adapter;
}

/** The adapter of the started WebGPU worker, or null before startWebGpu. */
export function webGpuAdapter(): WebGpuAdapterInfo | null {
  return bridge?.adapter ?? null;
}

/** Why mode 'webgpu' cannot run now, or null once startWebGpu has succeeded. */
export function webGpuProblem(): string | null {
  if (bridge !== null) return null;
  return bridgeProblem() ?? 'call and await startWebGpu() first: it starts the worker that owns the GPU device';
}

/** A GpuKernelRunner that runs every kernel on the WebGPU worker. */
export class WebGpuBridgeRunner implements GpuKernelRunner {
  private readonly shapes = new Set<string>();

  constructor(private readonly observe: (observation: RunnerObservation) => void) {
    if (bridge === null) throw new Error(`webgpu: ${webGpuProblem()}`);
  }

  /** Distinct kernel signatures sent so far (the worker compiles each once). */
  get compiledCount(): number {
    return this.shapes.size;
  }

  get cachedCount(): number {
    return this.shapes.size;
  }

  run(
    name: GpuKernelName,
    _source: (this: KernelThis, ...args: Volume[]) => number,
    output: [number, number, number],
    constants: Record<string, number>,
    inputs: VolumeInput[],
  ): Float32Array {
    if (bridge === null) throw new Error('webgpu: the WebGPU worker was stopped');
    this.shapes.add(
      kernelSignature(
        name,
        output,
        inputs.map(([, size]) => size),
        constants,
      ),
    );
    const { result, kernelClass } = bridge.call(name, output, constants, inputs);
    this.observe({ kernelClass, fallbackReason: null });
    return result;
  }

  async dispose(): Promise<void> {}
}

/** Stops the WebGPU worker (its device and kernels go with it). */
export function stopWebGpu(): void {
  bridge?.terminate();
  bridge = null;
}
