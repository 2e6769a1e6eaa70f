import { faceSteps } from './face-steps.js';

/** A dedicated worker that runs faceSteps when asked and posts the result (or the error's text) back. */
const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
};
scope.onmessage = async (event) => {
  try {
    scope.postMessage({ result: await faceSteps(event.data) });
  } catch (error) {
    scope.postMessage({ error: String((error as Error)?.stack ?? error) });
  }
};
