import type { Conv2dGeometry, KernelBackend, MatmulProblem } from '../../src/backend/kernels.js';
import { Generator } from '../../src/tensor/random.js';

/**
 * Kernel problems for the cross-backend suite, and the check every backend must pass: its float32
 * result equals the CPU reference run in float64 within
 *   |got - expected| <= 1e-4 + 1e-4 * sum|terms|,
 * where sum|terms| (the same kernel on absolute values) scales the bound for long sums: float32
 * rounding grows with the magnitude of what is summed, not with the (possibly cancelled) result.
 */

/** Absolute tolerance of every GPU/CPU equivalence check. */
export const absoluteTolerance = 1e-4;
/** Relative tolerance, applied to the sum of absolute terms of each output element. */
export const relativeTolerance = 1e-4;

/** Uniform values in [-1, 1) from a seeded generator (float32 storage, as the engine's default). */
export function randomStorage(size: number, seed: number): Float32Array {
  const generator = new Generator(seed);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = 2 * generator.uniform() - 1;
  return data;
}

function toFloat64(data: Float32Array, absolute: boolean): Float64Array {
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = absolute ? Math.abs(data[i]) : data[i];
  return out;
}

/** One kernel invocation: runs it on a backend with given storage class and returns the output. */
export interface KernelCase {
  /** Human-readable description for failure messages. */
  label: string;
  /** Runs the kernel on `backend` with the inputs converted by `convert`. */
  run(
    backend: KernelBackend,
    convert: (data: Float32Array) => Float32Array | Float64Array,
  ): Float32Array | Float64Array;
}

/** The largest |got - expected| beyond tolerance, or null when every element is within it. */
export function firstViolation(
  got: Float32Array | Float64Array,
  expected: Float64Array,
  absTerms: Float64Array,
): string | null {
  if (got.length !== expected.length) return `length ${got.length} vs ${expected.length}`;
  for (let i = 0; i < got.length; i++) {
    const bound = absoluteTolerance + relativeTolerance * absTerms[i];
    const error = Math.abs(got[i] - expected[i]);
    if (!(error <= bound))
      return `element ${i}: got ${got[i]}, expected ${expected[i]} (error ${error}, bound ${bound})`;
  }
  return null;
}

/** Runs a case on `backend` (float32) and on `reference` (float64, exact and absolute), and compares. */
export function checkCase(kernelCase: KernelCase, backend: KernelBackend, reference: KernelBackend): string | null {
  const got = kernelCase.run(backend, (d) => d);
  const expected = kernelCase.run(reference, (d) => toFloat64(d, false)) as Float64Array;
  const absTerms = kernelCase.run(reference, (d) => toFloat64(d, true)) as Float64Array;
  const violation = firstViolation(got, expected, absTerms);
  return violation === null ? null : `${kernelCase.label}: ${violation}`;
}

function zerosLike(sample: Float32Array | Float64Array, size: number): Float32Array | Float64Array {
  return sample instanceof Float64Array ? new Float64Array(size) : new Float32Array(size);
}

/** A matmul problem description (inputs generated from `seed`). */
export interface MatmulSpec {
  batch: number;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
  broadcastA: boolean;
  broadcastB: boolean;
  seed: number;
}

/** The case for a matmul spec. */
export function matmulCase(spec: MatmulSpec): KernelCase {
  const { batch, m, k, n } = spec;
  const a = randomStorage((spec.broadcastA ? 1 : batch) * m * k, spec.seed);
  const b = randomStorage((spec.broadcastB ? 1 : batch) * k * n, spec.seed + 1);
  return {
    label: `matmul ${JSON.stringify(spec)}`,
    run(backend, convert) {
      const out = zerosLike(convert(a.subarray(0, 1)), batch * m * n);
      const problem: MatmulProblem = {
        a: convert(a),
        b: convert(b),
        out,
        batch,
        m,
        k,
        n,
        transposeA: spec.transposeA,
        transposeB: spec.transposeB,
        aBatchStride: spec.broadcastA ? 0 : m * k,
        bBatchStride: spec.broadcastB ? 0 : k * n,
      };
      backend.matmul(problem);
      return out;
    },
  };
}

/** Output size of a convolution along one dim (PyTorch's formula without dilation). */
export function convOutSize(inSize: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((inSize + 2 * padding - kernel) / stride) + 1;
}

/** Geometry from the usual arguments. */
export function convGeometry(
  batch: number,
  inChannels: number,
  inHeight: number,
  inWidth: number,
  outChannels: number,
  kernel: number,
  stride: number,
  padding: number,
  groups: number,
): Conv2dGeometry {
  return {
    batch,
    inChannels,
    inHeight,
    inWidth,
    outChannels,
    kernelHeight: kernel,
    kernelWidth: kernel,
    strideHeight: stride,
    strideWidth: stride,
    paddingHeight: padding,
    paddingWidth: padding,
    groups,
    outHeight: convOutSize(inHeight, kernel, stride, padding),
    outWidth: convOutSize(inWidth, kernel, stride, padding),
  };
}

/** The three convolution kernels as cases over one geometry. */
export function convCases(g: Conv2dGeometry, seed: number): KernelCase[] {
  const inputSize = g.batch * g.inChannels * g.inHeight * g.inWidth;
  const weightSize = g.outChannels * (g.inChannels / g.groups) * g.kernelHeight * g.kernelWidth;
  const outputSize = g.batch * g.outChannels * g.outHeight * g.outWidth;
  const x = randomStorage(inputSize, seed);
  const w = randomStorage(weightSize, seed + 1);
  const gy = randomStorage(outputSize, seed + 2);
  const label = `conv2d ${JSON.stringify(g)}`;
  return [
    {
      label: `${label} forward`,
      run(backend, convert) {
        const out = zerosLike(convert(x.subarray(0, 1)), outputSize);
        backend.conv2dForward(convert(x), convert(w), out, g);
        return out;
      },
    },
    {
      label: `${label} backward input`,
      run(backend, convert) {
        const out = zerosLike(convert(x.subarray(0, 1)), inputSize);
        backend.conv2dBackwardInput(convert(gy), convert(w), out, g);
        return out;
      },
    },
    {
      label: `${label} backward weight`,
      run(backend, convert) {
        const out = zerosLike(convert(x.subarray(0, 1)), weightSize);
        backend.conv2dBackwardWeight(convert(x), convert(gy), out, g);
        return out;
      },
    },
  ];
}
