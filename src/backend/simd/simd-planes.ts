import { planeKernelsModuleBytes } from './plane-kernels-module.js';
import { getCpuSimd } from './simd-switch.js';

/** The plane loops of plane-kernels-module.ts; pointers are byte offsets into the module's memory. */
export interface PlaneKernelFunctions {
  planeSum(x: number, count: number): number;
  planeSquaredDeviation(x: number, count: number, mean: number): number;
  planeAffine(x: number, out: number, count: number, scale: number, shift: number): void;
  planeGradientSums(g: number, x: number, count: number, mean: number, result: number): void;
  planeNormGradient(
    g: number,
    x: number,
    out: number,
    count: number,
    scale: number,
    meanG: number,
    mean: number,
    coefficient: number,
  ): void;
  planePrelu(x: number, out: number, count: number, slope: number): void;
  planePreluGradient(g: number, x: number, out: number, count: number, slope: number): number;
}

/** Bytes at the start of the memory where functions leave extra results (planeGradientSums). */
const resultBytes = 16;

/**
 * The WebAssembly SIMD plane loops for batchNorm and prelu (src/ops), on the calling thread. An op
 * copies its float32 operands into the module's memory (`stage`, `write`: a memcpy, a fraction of
 * the per-element JavaScript work it replaces), runs the loops plane by plane, and copies the
 * result out (`read`). Ops are synchronous, so one staging area serves them all in turn.
 */
export class SimdPlanes {
  readonly run: PlaneKernelFunctions;
  private readonly memory: WebAssembly.Memory;
  private heap32: Float32Array;
  private heap64: Float64Array;

  constructor() {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(planeKernelsModuleBytes(1)), {});
    this.run = instance.exports as unknown as PlaneKernelFunctions;
    this.memory = instance.exports.memory as WebAssembly.Memory;
    this.heap32 = new Float32Array(this.memory.buffer);
    this.heap64 = new Float64Array(this.memory.buffer);
  }

  /** Room for `count` float32 arrays of `size` elements; returns their byte offsets (16-byte aligned). */
  stage(size: number, count: number): number[] {
    const stride = Math.ceil((size * 4) / 16) * 16;
    const needed = resultBytes + stride * count;
    if (this.memory.buffer.byteLength < needed) {
      this.memory.grow(Math.ceil((needed - this.memory.buffer.byteLength) / 65536));
      this.heap32 = new Float32Array(this.memory.buffer);
      this.heap64 = new Float64Array(this.memory.buffer);
    }
    return Array.from({ length: count }, (_, i) => resultBytes + i * stride);
  }

  /** Copies `data` into the staged array at byte offset `at`. */
  write(at: number, data: Float32Array): void {
    this.heap32.set(data, at / 4);
  }

  /** Copies the staged array at byte offset `at` into `target`. */
  read(at: number, target: Float32Array): void {
    target.set(this.heap32.subarray(at / 4, at / 4 + target.length));
  }

  /** The float64 results planeGradientSums wrote (index 0 or 1); results live at byte offset 0. */
  result(index: 0 | 1): number {
    return this.heap64[index];
  }
}

let planes: SimdPlanes | null = null;

/** The thread's SIMD plane loops while WebAssembly SIMD is on (see setCpuSimd), else null. */
export function simdPlanes(): SimdPlanes | null {
  if (!getCpuSimd()) return null;
  if (planes === null) planes = new SimdPlanes();
  return planes;
}
