import { createRequire } from 'node:module';

/**
 * A narrow, strictly typed facade over the parts of gpu.js 2.24 that arcgrad uses. gpu.js's own
 * typings reject Float32Array inputs, lack `input()` as a value and several settings, so the
 * backend talks to this interface instead. The package is loaded on first use only, so importing
 * arcgrad does not pay for gpu.js (or headless-gl) unless the GPU backend is selected.
 */

/** The gpu.js modes arcgrad accepts: 'gpu' lets gpu.js pick (headlessgl, webgl2, webgl, webasm, cpu). */
export type GpuMode = 'gpu' | 'headlessgl' | 'webgl2' | 'webgl' | 'webgpu' | 'webasm' | 'cpu';

/** Every mode name accepted by setBackend('gpu', { mode }). */
export const gpuModes: readonly GpuMode[] = ['gpu', 'headlessgl', 'webgl2', 'webgl', 'webgpu', 'webasm', 'cpu'];

/** The `this` a kernel function sees: thread coordinates (x fastest) and the baked constants. */
export interface KernelThis {
  readonly thread: { readonly x: number; readonly y: number; readonly z: number };
  readonly constants: Readonly<Record<string, number>>;
}

/** A 3-D view of a flat array as gpu.js reads it: value[z][y][x]. */
export type Volume = number[][][];

/** The concrete gpu.js kernel object behind a callable kernel (its class names the backend). */
export interface GpuJsKernelObject {
  readonly constructor: { readonly name: string };
  readonly fallbackReason?: string | null;
  destroy(removeCanvasReferences?: boolean): void;
}

/** A compiled gpu.js kernel: call it with inputs, read a nested [z][y][x] Float32Array result. */
export interface GpuJsKernel {
  (...args: unknown[]): unknown;
  readonly kernel: GpuJsKernelObject;
}

/** Settings arcgrad passes to createKernel. */
export interface GpuJsKernelSettings {
  output: [number, number, number];
  constants: Record<string, number>;
  tactic: 'precision';
  precision: 'single';
  optimizeFloatMemory: boolean;
  dynamicArguments: false;
  dynamicOutput: false;
}

/** One gpu.js GPU instance (owns the GL context on headless-gl). */
export interface GpuJsInstance {
  createKernel(source: (this: KernelThis, ...args: Volume[]) => number, settings: GpuJsKernelSettings): GpuJsKernel;
  destroy(): Promise<void>;
}

/** The gpu.js module's static surface that arcgrad uses. */
export interface GpuJsModule {
  GPU: {
    new (settings: { mode: GpuMode }): GpuJsInstance;
    readonly isHeadlessGLSupported: boolean;
    readonly isWebGL2Supported: boolean;
    readonly isWebGLSupported: boolean;
    readonly isWebAssemblySupported: boolean;
    readonly isWebGPUSupported: boolean;
  };
  input(value: Float32Array, size: [number, number, number]): unknown;
}

let loaded: GpuJsModule | null = null;

/** Loads gpu.js on first call (CommonJS, through createRequire, so the ESM import stays cheap). */
export function loadGpuJs(): GpuJsModule {
  if (loaded === null) {
    const require = createRequire(import.meta.url);
    try {
      loaded = require('gpu.js') as GpuJsModule;
    } catch (error) {
      // gpu.js is an optional peer dependency: a CPU-only install does not have it.
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
      throw new Error(
        "setBackend('gpu'): the gpu backend needs the optional package 'gpu.js' (npm install gpu.js); " +
          `it could not be loaded: ${(error as Error).message.split('\n')[0]}`,
      );
    }
  }
  return loaded;
}

/** Why headless-gl cannot give a context here, or null when it can. Never throws. */
export function headlessGlProblem(): string | null {
  const require = createRequire(import.meta.url);
  try {
    require.resolve('gl');
  } catch {
    return "the optional 'gl' package (headless-gl) is not installed or failed to build";
  }
  if (process.platform === 'linux' && !process.env.DISPLAY) {
    return 'no X display (DISPLAY is unset); run under `xvfb-run -a` for the GLSL path';
  }
  try {
    if (!loadGpuJs().GPU.isHeadlessGLSupported) {
      return `headless-gl could not create a WebGL context on DISPLAY=${process.env.DISPLAY ?? ''}`;
    }
  } catch (error) {
    return `loading headless-gl failed: ${(error as Error).message}`;
  }
  return null;
}
