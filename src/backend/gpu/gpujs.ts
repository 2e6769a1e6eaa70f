import { environmentVariable, hostPlatform, nodeBuiltin } from '../environment.js';

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

/**
 * Hands arcgrad the gpu.js module to use, for a browser bundle (`useGpuJs(await import('gpu.js'))`)
 * or a page that loaded gpu-browser.js; under Node arcgrad finds the package itself.
 */
export function useGpuJs(module: GpuJsModule): void {
  if (typeof module?.GPU !== 'function' || typeof module.input !== 'function') {
    throw new Error('useGpuJs: expected the gpu.js module (with GPU and input), got something else');
  }
  loaded = module;
}

/** Node's require, resolving from this file, or null outside Node. */
function nodeRequire(): NodeJS.Require | null {
  return nodeBuiltin('node:module')?.createRequire(import.meta.url) ?? null;
}

/**
 * The gpu.js module: the one given to useGpuJs, else under Node the package (loaded on first call,
 * CommonJS, so the ESM import stays cheap), else in a page the global that gpu-browser.js defines.
 */
export function loadGpuJs(): GpuJsModule {
  if (loaded !== null) return loaded;
  const require = nodeRequire();
  if (require === null) {
    const global = (globalThis as unknown as { GPU?: GpuJsModule }).GPU;
    if (typeof global?.GPU === 'function') {
      loaded = global;
      return loaded;
    }
    throw new Error(
      "setBackend('gpu'): no gpu.js here; in a browser call useGpuJs(await import('gpu.js')) first, " +
        'or load gpu-browser.js with a script tag',
    );
  }
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
  return loaded;
}

/** Why headless-gl cannot give a context here, or null when it can. Never throws. */
export function headlessGlProblem(): string | null {
  const require = nodeRequire();
  if (require === null) return 'headless-gl runs only under Node (a browser has webgl2 and webgpu)';
  try {
    require.resolve('gl');
  } catch {
    return "the optional 'gl' package (headless-gl) is not installed or failed to build";
  }
  const display = environmentVariable('DISPLAY');
  if (hostPlatform() === 'linux' && !display) {
    return 'no X display (DISPLAY is unset); run under `xvfb-run -a` for the GLSL path';
  }
  try {
    if (!loadGpuJs().GPU.isHeadlessGLSupported) {
      return `headless-gl could not create a WebGL context on DISPLAY=${display ?? ''}`;
    }
  } catch (error) {
    return `loading headless-gl failed: ${(error as Error).message}`;
  }
  return null;
}
