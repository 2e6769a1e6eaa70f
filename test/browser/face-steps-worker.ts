import { faceSteps } from './face-steps.js';
import { webGpuKernels } from './gpu-kernels.js';

/** A dedicated worker that runs faceSteps (or, asked for 'webgpu', webGpuKernels) and posts the result or the error back. */
const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
};
scope.onmessage = async (event) => {
  try {
    const result = event.data?.run === 'webgpu' ? await webGpuKernels() : await faceSteps(event.data);
    scope.postMessage({ result });
  } catch (error) {
    scope.postMessage({ error: String((error as Error)?.stack ?? error) });
  }
};
