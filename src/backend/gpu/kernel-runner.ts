import type { GpuJsInstance, GpuJsKernel, GpuJsModule, KernelThis, Volume } from './gpujs.js';
import { copyVolume } from './volumes.js';

/** A flat float32 input and the [width, height, depth] view the kernel reads it through. */
export type VolumeInput = [data: Float32Array, size: [number, number, number]];

/** What a runner saw: calls per gpu.js kernel class, and fallback reasons gpu.js gave. */
export interface RunnerObservation {
  kernelClass: string;
  fallbackReason: string | null;
}

/**
 * What the gpu kernels (matmul.ts, conv2d-*.ts) need: run a named, shape-specialised gpu.js kernel
 * and get its output flat. KernelRunner runs gpu.js here; WebGpuBridgeRunner (webgpu-bridge.ts)
 * runs it on a WebGPU worker, where readback can be awaited.
 */
export interface GpuKernelRunner {
  run(
    name: GpuKernelName,
    source: (this: KernelThis, ...args: Volume[]) => number,
    output: [number, number, number],
    constants: Record<string, number>,
    inputs: VolumeInput[],
  ): Float32Array;
  readonly compiledCount: number;
  readonly cachedCount: number;
  dispose(): Promise<void>;
}

/** The gpu.js kernels arcgrad has, by the name kernel-sources.ts lists their functions under. */
export type GpuKernelName = 'matmul' | 'conv2dForward' | 'conv2dBackwardInput' | 'conv2dBackwardWeight';

/**
 * The exact signature a compiled kernel is specialised to: its name, output size, every input
 * size and every constant. Two calls share a kernel only when their signatures are equal.
 */
export function kernelSignature(
  name: GpuKernelName,
  output: readonly number[],
  inputSizes: readonly (readonly number[])[],
  constants: Record<string, number>,
): string {
  return `${name}|${output.join('x')}|${inputSizes.map((size) => size.join('x')).join(',')}|${JSON.stringify(constants)}`;
}

/** A cached kernel and the elements its textures hold (inputs plus output). */
interface CachedKernel {
  kernel: GpuJsKernel;
  elements: number;
}

/**
 * Compiles, caches and runs gpu.js kernels. A kernel is specialised to one exact signature (its
 * name, every constant, the output and every input size): constants become literals in the
 * shader, so loops have compile-time bounds (never capped by loopMaxIterations) and a kernel is
 * never reused with argument sizes it was not built for (gpu.js would silently read with stale
 * strides). Least recently used kernels are destroyed once more than `capacity` kernels, or
 * kernels whose textures hold more than `elementBudget` elements, are cached: destroying frees
 * their textures and programs, which the garbage collector never does for GL textures.
 */
export class KernelRunner implements GpuKernelRunner {
  private readonly kernels = new Map<string, CachedKernel>();
  private cachedElements = 0;
  private compiled = 0;

  constructor(
    private readonly gpuJs: GpuJsModule,
    private readonly gpu: GpuJsInstance,
    private readonly capacity: number,
    private readonly elementBudget: number,
    private readonly observe: (observation: RunnerObservation) => void,
  ) {}

  /** Number of kernels compiled so far (cache misses). */
  get compiledCount(): number {
    return this.compiled;
  }

  /** Number of kernels alive in the cache now. */
  get cachedCount(): number {
    return this.kernels.size;
  }

  /** Runs `source` over an output of [width, height, depth] and returns the result flat (x fastest). */
  run(
    name: GpuKernelName,
    source: (this: KernelThis, ...args: Volume[]) => number,
    output: [number, number, number],
    constants: Record<string, number>,
    inputs: VolumeInput[],
  ): Float32Array {
    const key = kernelSignature(
      name,
      output,
      inputs.map(([, size]) => size),
      constants,
    );
    let cached = this.kernels.get(key);
    if (cached) {
      // Re-insert to mark as most recently used.
      this.kernels.delete(key);
    } else {
      const elements = output[0] * output[1] * output[2] + inputs.reduce((sum, [data]) => sum + data.length, 0);
      // Make room first, so a large kernel never coexists with a full cache.
      this.evict(this.capacity - 1, this.elementBudget - elements);
      const kernel = this.gpu.createKernel(source, {
        output,
        constants,
        tactic: 'precision',
        precision: 'single',
        optimizeFloatMemory: true,
        dynamicArguments: false,
        dynamicOutput: false,
      });
      this.compiled++;
      cached = { kernel, elements };
      this.cachedElements += elements;
    }
    this.kernels.set(key, cached);
    const { kernel } = cached;
    const result = kernel(...inputs.map(([data, size]) => this.gpuJs.input(data, size)));
    // Read the class after the call: gpu.js may switch or fall back while running.
    this.observe({ kernelClass: kernel.kernel.constructor.name, fallbackReason: kernel.kernel.fallbackReason ?? null });
    const flat = new Float32Array(output[0] * output[1] * output[2]);
    copyVolume(result, output[0], output[1], output[2], flat);
    return flat;
  }

  /** Elements held by cached kernels' textures. */
  get cachedElementCount(): number {
    return this.cachedElements;
  }

  /** Destroys least recently used kernels until at most `keep` remain holding at most `elements`. */
  evict(keep: number, elements = Number.POSITIVE_INFINITY): void {
    for (const [key, cached] of this.kernels) {
      if (this.kernels.size <= keep && this.cachedElements <= elements) break;
      cached.kernel.kernel.destroy(false);
      this.cachedElements -= cached.elements;
      this.kernels.delete(key);
    }
  }

  /** Destroys every kernel and the gpu.js instance (and with it the GL context). */
  async dispose(): Promise<void> {
    this.evict(0);
    await this.gpu.destroy();
  }
}
