import { faceSteps } from './face-steps.js';
import { webGpuKernels } from './gpu-kernels.js';
import { pageKernelSuite } from './kernel-suite-page.js';

/** A dedicated worker that runs what it is asked (faceSteps by default) and posts the result or the error back. */
const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
};
scope.onmessage = async (event) => {
  try {
    const { run, ...options } = event.data ?? {};
    const result =
      run === 'webgpu'
        ? await webGpuKernels()
        : run === 'kernel-suite'
          ? await pageKernelSuite(options.mode, options.runs)
          : await faceSteps(options);
    scope.postMessage({ result });
  } catch (error) {
    scope.postMessage({ error: String((error as Error)?.stack ?? error) });
  }
};
