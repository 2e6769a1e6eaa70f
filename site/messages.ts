/** What the playground page and its engine worker say to each other. */

/** The run the page asks for. */
export interface PlaygroundSettings {
  /** 'cpu' (TypeScript + WebAssembly SIMD on Web Workers), or gpu.js kernels on the GPU: 'webgl2' or 'webgpu'. */
  backend: 'cpu' | 'webgl2' | 'webgpu';
  identities: number;
  imagesPerIdentity: number;
  testIdentities: number;
  side: number;
  epochs: number;
  batchSize: number;
  lr: number;
  variation: number;
  seed: number;
}

/** The page's defaults: about half a minute of training on two cores, verification well above chance. */
export const defaultSettings: PlaygroundSettings = {
  backend: 'cpu',
  identities: 48,
  imagesPerIdentity: 8,
  testIdentities: 24,
  side: 24,
  epochs: 5,
  batchSize: 16,
  lr: 0.1,
  variation: 0.25,
  seed: 0,
};

/** Page to worker. */
export type ToEngine = { type: 'start'; settings: PlaygroundSettings };

/** Worker to page. */
export type FromEngine =
  | { type: 'ready'; kernelClass: string; renderer: string | null; threads: string }
  | { type: 'faces'; side: number; columns: number; pixels: Float32Array[] }
  | {
      type: 'step';
      epoch: number;
      step: number;
      steps: number;
      loss: number;
      imagesPerSecond: number;
      /** The loss curve so far, drawn by the library's chart (eval/svg.ts). */
      lossSvg: string;
    }
  | { type: 'phase'; text: string }
  | {
      type: 'report';
      kfoldAccuracy: number;
      kfoldStd: number;
      auc: number;
      pairs: number;
      tarAtFar: { far: number; tar: number }[];
      rocSvg: string;
      seconds: number;
    }
  | { type: 'error'; text: string };
