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
 * Compiles, caches and runs gpu.js kernels. A kernel is specialised to one exact signature (its
 * name, every constant, the output and every input size): constants become literals in the
 * shader, so loops have compile-time bounds (never capped by loopMaxIterations) and a kernel is
 * never reused with argument sizes it was not built for (gpu.js would silently read with stale
 * strides). Least recently used kernels beyond `capacity` are destroyed, which frees their
 * textures and programs: GL textures are never garbage collected.
 */
export class KernelRunner {
  private readonly kernels = new Map<string, GpuJsKernel>();
  private compiled = 0;

  constructor(
    private readonly gpuJs: GpuJsModule,
    private readonly gpu: GpuJsInstance,
    private readonly capacity: number,
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
    name: string,
    source: (this: KernelThis, ...args: Volume[]) => number,
    output: [number, number, number],
    constants: Record<string, number>,
    inputs: VolumeInput[],
  ): Float32Array {
    const key = `${name}|${output.join('x')}|${inputs.map(([, size]) => size.join('x')).join(',')}|${JSON.stringify(constants)}`;
    let kernel = this.kernels.get(key);
    if (kernel) {
      // Re-insert to mark as most recently used.
      this.kernels.delete(key);
    } else {
      kernel = this.gpu.createKernel(source, {
        output,
        constants,
        tactic: 'precision',
        precision: 'single',
        optimizeFloatMemory: true,
        dynamicArguments: false,
        dynamicOutput: false,
      });
      this.compiled++;
      this.evict(this.capacity - 1);
    }
    this.kernels.set(key, kernel);
    const result = kernel(...inputs.map(([data, size]) => this.gpuJs.input(data, size)));
    // Read the class after the call: gpu.js may switch or fall back while running.
    this.observe({ kernelClass: kernel.kernel.constructor.name, fallbackReason: kernel.kernel.fallbackReason ?? null });
    const flat = new Float32Array(output[0] * output[1] * output[2]);
    copyVolume(result, output[0], output[1], output[2], flat);
    return flat;
  }

  /** Destroys least recently used kernels until at most `keep` remain. */
  evict(keep: number): void {
    for (const [key, kernel] of this.kernels) {
      if (this.kernels.size <= keep) break;
      kernel.kernel.destroy(false);
      this.kernels.delete(key);
    }
  }

  /** Destroys every kernel and the gpu.js instance (and with it the GL context). */
  async dispose(): Promise<void> {
    this.evict(0);
    await this.gpu.destroy();
  }
}
