import type { Storage } from '../../tensor/dtype.js';
import type {
  BackendDescription,
  BatchNormBackwardProblem,
  BatchNormForwardProblem,
  CompleteBackend,
  Conv2dGeometry,
  KernelBackend,
  MatmulProblem,
  PreluBackwardProblem,
  PreluProblem,
} from '../kernels.js';
import { conv2dBackwardInputGpu } from './conv2d-backward-input.js';
import { conv2dBackwardWeightGpu } from './conv2d-backward-weight.js';
import { conv2dForwardGpu } from './conv2d-forward.js';
import { type GpuMode, gpuModes, headlessGlProblem, loadGpuJs } from './gpujs.js';
import { type GpuKernelRunner, KernelRunner, type RunnerObservation } from './kernel-runner.js';
import { matmulGpu } from './matmul.js';
import { softwareRenderer } from './renderer.js';
import { WebGpuBridgeRunner, webGpuAdapter, webGpuProblem } from './webgpu-bridge.js';

/** Options of the gpu.js backend. */
export interface GpuBackendOptions {
  /** gpu.js mode; 'gpu' (default) lets gpu.js choose and warns when that is not a GPU context. */
  mode?: GpuMode;
  /** Problems under this many floating-point operations run on the CPU kernels (0: everything on gpu.js). */
  minFlops?: number;
  /** How many shape-specialised kernels stay compiled; older ones are destroyed. */
  kernelCacheSize?: number;
  /** How many elements (float32 inputs plus outputs) cached kernels' textures may hold together. */
  kernelCacheElements?: number;
}

/**
 * Default crossover: problems under this many FLOPs stay on the CPU kernels. On the build machine
 * (2 cores, no GPU) gpu.js lost every measured problem to the CPU backend, headless-gl on llvmpipe
 * and webasm alike, up to a 512^3 matmul (268 MFLOP); so no crossover exists there and 'cpu' is
 * the right choice. 2e7 is a guess for hardware GPUs, where readback costs about a millisecond:
 * calibrate it with `xvfb-run -a npx tsx test/backend/measure-crossover.ts` on the machine in question.
 */
export const defaultMinFlops = 2e7;

const gpuClasses = new Set(['HeadlessGLKernel', 'WebGLKernel', 'WebGL2Kernel', 'WebGPUKernel']);
const warned = new Set<string>();

/** Prints a notice once per process (a training loop must not repeat it every step). */
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(message);
}

/** The WebGPU worker's adapter in words, marked where it is Chromium's software renderer. */
function adapterName(): string | null {
  const adapter = webGpuAdapter();
  if (adapter === null) return null;
  const name = [adapter.vendor, adapter.architecture, adapter.description].filter((part) => part !== '').join(' ');
  return /swiftshader/i.test(name) ? `WebGPU ${name} (software renderer: runs on the CPU)` : `WebGPU ${name}`;
}

/** Why an explicitly requested gpu.js mode cannot run here, or null when it can. */
function modeProblem(mode: GpuMode): string | null {
  // gpu.js's WebGPU kernels are asynchronous: they run on the WebGPU worker (webgpu-bridge.ts).
  if (mode === 'webgpu') return webGpuProblem();
  const { GPU } = loadGpuJs();
  switch (mode) {
    case 'headlessgl':
      return headlessGlProblem();
    case 'webgl2':
      return GPU.isWebGL2Supported ? null : 'WebGL2 needs a browser (no WebGL2 context in Node)';
    case 'webgl':
      return GPU.isWebGLSupported ? null : 'WebGL needs a browser (no WebGL context in Node)';
    case 'webasm':
      return GPU.isWebAssemblySupported ? null : 'WebAssembly is not supported by this runtime';
    default:
      return null;
  }
}

/**
 * The gpu.js backend. float32 problems at or above the crossover run in shape-specialised gpu.js
 * kernels; float64 problems (gradient checks) run on the CPU kernels, because GPU arithmetic is
 * float32 and a float64 result computed in float32 would be dishonest. backendInfo() counts both.
 */
export class GpuBackend implements KernelBackend {
  readonly name = 'gpu';
  readonly mode: GpuMode;
  readonly minFlops: number;
  private readonly runner: GpuKernelRunner;
  private readonly calls: Record<string, number> = {};
  private kernelClass = 'none yet';
  private fallbackReason: string | null = null;
  private renderer: string | null = null;
  private disposed = false;

  /**
   * @param fallback the backend that runs what gpu.js does not (float64 problems, problems under
   *   the crossover): the CPU backend, handed in by the registry.
   */
  constructor(
    options: GpuBackendOptions,
    private readonly fallback: CompleteBackend,
  ) {
    const mode = options.mode ?? 'gpu';
    if (!gpuModes.includes(mode)) {
      throw new Error(
        `setBackend('gpu'): unknown gpu.js mode '${String(mode)}'; expected one of ${gpuModes.join(', ')}`,
      );
    }
    const minFlops = options.minFlops ?? defaultMinFlops;
    if (!(minFlops >= 0)) throw new Error(`setBackend('gpu'): minFlops must be a number >= 0, got ${minFlops}`);
    const cacheSize = options.kernelCacheSize ?? 64;
    if (!Number.isInteger(cacheSize) || cacheSize < 1) {
      throw new Error(`setBackend('gpu'): kernelCacheSize must be an integer >= 1, got ${cacheSize}`);
    }
    const cacheElements = options.kernelCacheElements ?? 2 ** 26;
    if (!(cacheElements >= 0)) {
      throw new Error(`setBackend('gpu'): kernelCacheElements must be a number >= 0, got ${cacheElements}`);
    }
    this.mode = mode;
    this.minFlops = minFlops;
    if (mode !== 'gpu' && mode !== 'cpu') {
      const problem = modeProblem(mode);
      if (problem !== null) throw new Error(`setBackend('gpu'): gpu.js mode '${mode}' cannot run here: ${problem}`);
    }
    const observe = (observation: RunnerObservation) => this.observe(observation);
    if (mode === 'webgpu') {
      this.runner = new WebGpuBridgeRunner(observe);
    } else {
      const gpuJs = loadGpuJs();
      this.runner = new KernelRunner(gpuJs, new gpuJs.GPU({ mode }), cacheSize, cacheElements, observe);
    }
    this.probe();
  }

  /** Runs one tiny kernel so the class gpu.js picked (and any fallback) is known before real work. */
  private probe(): void {
    const a = new Float32Array([1, 2, 3, 4]);
    const out = new Float32Array(4);
    matmulGpu(this.runner, {
      a,
      b: a,
      out,
      batch: 1,
      m: 2,
      k: 2,
      n: 2,
      transposeA: false,
      transposeB: false,
      aBatchStride: 0,
      bBatchStride: 0,
    });
    if (out[0] !== 7 || out[3] !== 22) {
      throw new Error(`setBackend('gpu'): gpu.js ${this.kernelClass} gave a wrong probe result [${out.join(', ')}]`);
    }
    delete this.calls[this.kernelClass];
    if (this.mode === 'webgpu') this.renderer = adapterName();
    else if (gpuClasses.has(this.kernelClass)) this.renderer = softwareRenderer();
    if (this.mode === 'gpu' && !gpuClasses.has(this.kernelClass)) {
      const why = this.fallbackReason ?? headlessGlProblem() ?? 'gpu.js found no GPU context';
      this.fallbackReason = why;
      warnOnce(`arcgrad: the gpu backend asked gpu.js for a GPU but runs ${this.kernelClass} (${why}).`);
    } else if (this.renderer !== null && this.mode === 'gpu') {
      warnOnce(`arcgrad: the gpu backend runs gpu.js ${this.kernelClass} on ${this.renderer}.`);
    }
  }

  private observe({ kernelClass, fallbackReason }: RunnerObservation): void {
    this.kernelClass = kernelClass;
    this.calls[kernelClass] = (this.calls[kernelClass] ?? 0) + 1;
    if (fallbackReason) {
      this.fallbackReason = fallbackReason;
      warnOnce(`arcgrad: gpu.js fell back to ${kernelClass}: ${fallbackReason}`);
    }
  }

  /** Records a problem that stays on the CPU kernels, and why. */
  private onCpu(reason: string): CompleteBackend {
    const key = `cpu (${reason})`;
    this.calls[key] = (this.calls[key] ?? 0) + 1;
    return this.fallback;
  }

  /** Decides where a problem runs: null means gpu.js, otherwise the CPU backend. */
  private route(storages: readonly Storage[], size: number, flops: number): CompleteBackend | null {
    if (this.disposed) throw new Error('gpu backend: used after dispose()');
    if (storages.some((s) => s instanceof Float64Array)) return this.onCpu('float64 storage');
    if (size === 0) return this.onCpu('empty');
    if (flops < this.minFlops) return this.onCpu('below crossover');
    return null;
  }

  matmul(problem: MatmulProblem): void {
    const { batch, m, k, n } = problem;
    const cpu = this.route([problem.a, problem.b, problem.out], batch * m * k * n, 2 * batch * m * n * k);
    if (cpu) cpu.matmul(problem);
    else matmulGpu(this.runner, problem);
  }

  conv2dForward(input: Storage, weight: Storage, out: Storage, g: Conv2dGeometry): void {
    const cpu = this.route([input, weight, out], convSize(g), convFlops(g));
    if (cpu) cpu.conv2dForward(input, weight, out, g);
    else conv2dForwardGpu(this.runner, input as Float32Array, weight as Float32Array, out as Float32Array, g);
  }

  conv2dBackwardInput(gradOutput: Storage, weight: Storage, gradInput: Storage, g: Conv2dGeometry): void {
    const cpu = this.route([gradOutput, weight, gradInput], convSize(g), convFlops(g));
    if (cpu) cpu.conv2dBackwardInput(gradOutput, weight, gradInput, g);
    else
      conv2dBackwardInputGpu(
        this.runner,
        gradOutput as Float32Array,
        weight as Float32Array,
        gradInput as Float32Array,
        g,
      );
  }

  conv2dBackwardWeight(input: Storage, gradOutput: Storage, gradWeight: Storage, g: Conv2dGeometry): void {
    const cpu = this.route([input, gradOutput, gradWeight], convSize(g), convFlops(g));
    if (cpu) cpu.conv2dBackwardWeight(input, gradOutput, gradWeight, g);
    else
      conv2dBackwardWeightGpu(
        this.runner,
        input as Float32Array,
        gradOutput as Float32Array,
        gradWeight as Float32Array,
        g,
      );
  }

  // batchNorm and prelu have no gpu.js kernels yet; the CPU backend's run them (and are counted),
  // rather than the slower reference that runKernel would pick for a kernel this backend lacks.
  batchNormForward(problem: BatchNormForwardProblem): void {
    this.onCpu('no gpu kernel').batchNormForward(problem);
  }

  batchNormBackward(problem: BatchNormBackwardProblem): void {
    this.onCpu('no gpu kernel').batchNormBackward(problem);
  }

  prelu(problem: PreluProblem): void {
    this.onCpu('no gpu kernel').prelu(problem);
  }

  preluBackward(problem: PreluBackwardProblem): void {
    this.onCpu('no gpu kernel').preluBackward(problem);
  }

  /** What this backend is and what ran: the gpu.js class, why it fell back, calls per route. */
  describe(): BackendDescription {
    const calls = { ...this.calls };
    const counted = Object.entries(calls)
      .map(([route, count]) => `${route} ${count}`)
      .join(', ');
    const parts = [
      `gpu: gpu.js ${this.kernelClass} (mode '${this.mode}')`,
      this.renderer ? `renderer ${this.renderer}` : null,
      this.fallbackReason ? `fell back: ${this.fallbackReason}` : null,
      `CPU below ${this.minFlops.toExponential(1)} FLOPs and for float64`,
      `kernels compiled ${this.runner.compiledCount}, cached ${this.runner.cachedCount}`,
      `calls: ${counted || 'none'}`,
    ];
    return {
      name: this.name,
      mode: this.mode,
      kernelClass: this.kernelClass,
      fallbackReason: this.fallbackReason,
      renderer: this.renderer,
      minFlops: this.minFlops,
      calls,
      compiledKernels: this.runner.compiledCount,
      cachedKernels: this.runner.cachedCount,
      summary: parts.filter((p) => p !== null).join('; '),
    };
  }

  /** Destroys every compiled kernel and the gpu.js context; the backend cannot be used afterwards. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.runner.dispose();
  }
}

/** Elements touched by a convolution (zero means nothing to compute). */
function convSize(g: Conv2dGeometry): number {
  return g.batch * g.inChannels * g.outChannels * g.outHeight * g.outWidth * g.kernelHeight * g.kernelWidth;
}

/** Multiply-adds times two; the same for forward and both gradients. */
function convFlops(g: Conv2dGeometry): number {
  return (
    2 * g.batch * g.outChannels * g.outHeight * g.outWidth * (g.inChannels / g.groups) * g.kernelHeight * g.kernelWidth
  );
}
