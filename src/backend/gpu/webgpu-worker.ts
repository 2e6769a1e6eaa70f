import * as gpujs from 'gpu.js';
import type { GpuJsInstance, GpuJsKernel, GpuJsModule } from './gpujs.js';
import { kernelSignature } from './kernel-runner.js';
import { gpuKernelSources } from './kernel-sources.js';
import { copyVolume } from './volumes.js';
import { type BridgeRequest, type BridgeStart, bridgeState, bridgeTextBytes } from './webgpu-bridge.js';

/**
 * The WebGPU worker's program (see webgpu-bridge.ts): owns the GPU device, compiles each kernel
 * signature once with gpu.js in mode 'webgpu', awaits its result and writes it into the shared
 * buffer for the blocked engine thread. Bundled with gpu.js's browser build.
 */

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<BridgeStart | BridgeRequest>) => void) | null;
  postMessage(message: unknown): void;
};
const gpuJs = gpujs as unknown as GpuJsModule;
/** Compiled kernels stay for the worker's life: a training step reuses a few dozen signatures. */
const kernels = new Map<string, GpuJsKernel>();
let gpu: GpuJsInstance | null = null;
let state: Int32Array | null = null;
let text: Uint8Array | null = null;

function answer(outcome: number, message: string): void {
  if (state === null || text === null) return;
  const bytes = new TextEncoder().encode(message).subarray(0, bridgeTextBytes);
  text.set(bytes);
  Atomics.store(state, 1, bytes.length);
  Atomics.store(state, 0, outcome);
  Atomics.notify(state, 0);
}

async function start(message: BridgeStart): Promise<void> {
  state = new Int32Array(message.control);
  text = new Uint8Array(message.text);
  const gpuApi = (
    navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: Record<string, string> } | null> } }
  ).gpu;
  const adapter = await gpuApi?.requestAdapter();
  if (!adapter) {
    scope.postMessage({ type: 'failed', error: 'navigator.gpu.requestAdapter() found no adapter' });
    return;
  }
  gpu = new gpuJs.GPU({ mode: 'webgpu' });
  const info = adapter.info ?? {};
  scope.postMessage({
    type: 'ready',
    adapter: { vendor: info.vendor ?? '', architecture: info.architecture ?? '', description: info.description ?? '' },
  });
}

async function run(request: BridgeRequest): Promise<void> {
  if (gpu === null) throw new Error('the worker has no GPU device');
  const key = kernelSignature(
    request.name,
    request.output,
    request.inputs.map((input) => input.size),
    request.constants,
  );
  let kernel = kernels.get(key);
  if (kernel === undefined) {
    kernel = gpu.createKernel(gpuKernelSources[request.name], {
      output: request.output,
      constants: request.constants,
      tactic: 'precision',
      precision: 'single',
      optimizeFloatMemory: false,
      dynamicArguments: false,
      dynamicOutput: false,
    });
    kernels.set(key, kernel);
  }
  const shared = new Float32Array(request.data);
  // gpu.js uploads from private arrays: copy each input out of shared memory.
  const inputs = request.inputs.map(({ offset, length, size }) =>
    gpuJs.input(shared.slice(offset, offset + length), size),
  );
  const result = await kernel(...inputs);
  const [width, height, depth] = request.output;
  const out = new Float32Array(width * height * depth);
  copyVolume(result, width, height, depth, out);
  shared.set(out, request.resultOffset);
  answer(bridgeState.done, kernel.kernel.constructor.name);
}

scope.onmessage = (event) => {
  const message = event.data;
  const work = message.type === 'start' ? start(message) : run(message);
  work.catch((error: unknown) => {
    const reason = String((error as Error)?.message ?? error);
    if (message.type === 'start') scope.postMessage({ type: 'failed', error: reason });
    else answer(bridgeState.failed, reason);
  });
};
