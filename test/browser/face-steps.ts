import {
  ArcFace,
  backendInfo,
  cpuThreadPoolInfo,
  crossEntropy,
  FaceMobileNet,
  manualSeed,
  normalizeInto,
  SGD,
  SyntheticFaces,
  startCpuThreads,
  Tensor,
} from '../../src/browser.js';

/**
 * The same few FaceMobileNet + ArcFace training steps on synthetic faces, run by the browser tests
 * in Chromium (bundled) and in Node (as it is), so the two engines can be compared value for value.
 */

/** What a run reports: the losses, and which kernels and threads ran them. */
export interface FaceStepsResult {
  losses: number[];
  kernelClass: string;
  threads: {
    host: string | null;
    workers: number;
    parallelCalls: number;
    workerChunks: number;
    problem: string | null;
  };
}

/** Trains `steps` SGD steps on 2 photos of each of 4 synthetic people at `side` pixels. */
export async function faceSteps({ steps = 2, side = 32 } = {}): Promise<FaceStepsResult> {
  await startCpuThreads();
  manualSeed(0);
  const identities = 4;
  const faces = new SyntheticFaces({ identities, imagesPerIdentity: 2, side, seed: 1 });
  const pixels = new Float32Array(faces.size * side * side);
  const labels: number[] = [];
  for (let i = 0; i < faces.size; i++) {
    normalizeInto(faces.render(i), pixels, i * side * side);
    labels.push(faces.label(i));
  }
  const x = new Tensor(pixels, [faces.size, 1, side, side]);
  const model = new FaceMobileNet({ embeddingSize: 64, inputSize: side, conv10Kernel: 'global' });
  const head = new ArcFace(64, identities, { s: 30, m: 0.5 });
  const optimizer = new SGD([...model.parameters(), ...head.parameters()], { lr: 0.1, weightDecay: 5e-4 });
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    optimizer.zeroGrad();
    const loss = crossEntropy(head.forward(model.forward(x), labels), labels);
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
  }
  const pool = cpuThreadPoolInfo();
  return {
    losses,
    kernelClass: backendInfo().kernelClass,
    threads: {
      host: pool.host,
      workers: pool.workers,
      parallelCalls: pool.parallelCalls,
      workerChunks: pool.workerChunks,
      problem: pool.problem,
    },
  };
}
