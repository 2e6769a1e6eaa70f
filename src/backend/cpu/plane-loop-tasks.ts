import type { Workspace } from './gemm.js';
import type { KernelLibrary } from './kernel-library.js';

/** Which plane loop a `simdPlaneLoops` call runs (the kernels of plane-kernels-module.ts). */
export type PlaneLoopKind =
  | 'sum'
  | 'squaredDeviation'
  | 'affine'
  | 'normGradientSums'
  | 'normGradient'
  | 'prelu'
  | 'preluGradient';

/**
 * Operands of one plane-loop call over the NCHW planes of float32 tensors: plane p (item p) is
 * elements [p * inner, (p + 1) * inner) and belongs to channel p % channels. Per-channel constants
 * are float64 arrays of length channels; unused ones are empty.
 */
export interface PlaneLoopArgs {
  kind: PlaneLoopKind;
  inner: number;
  channels: number;
  /** The first input (x, or g for gradients). */
  a: Float32Array;
  /** The second input (x for gradients), or empty. */
  b: Float32Array;
  /** The plane-sized output, or empty. */
  out: Float32Array;
  /** Per-plane float64 results: one per plane (sum, squaredDeviation, preluGradient) or two (normGradientSums). */
  results: Float64Array;
  /** Per-channel constants: mean, scale or slope. */
  first: Float64Array;
  /** Per-channel constants: shift, or meanG. */
  second: Float64Array;
  /** Per-channel constants: the mean (normGradient). */
  third: Float64Array;
  /** Per-channel constants: the xhat coefficient (normGradient). */
  fourth: Float64Array;
}

/**
 * Runs one plane loop on planes [start, end) with the thread's WebAssembly SIMD kernels: each
 * plane is copied into the module's memory (the loops address only it), processed, and its output
 * copied out. Items are whole planes, so threads never share an output element, and each plane's
 * float64 result lands in its own slot: the caller adds them up in a fixed order, so the sums do
 * not depend on the thread count.
 */
export function simdPlaneLoops(
  lib: KernelLibrary,
  workspace: Workspace,
  args: PlaneLoopArgs,
  start: number,
  end: number,
): void {
  const simd = workspace.simd;
  if (simd === null) throw new Error('simdPlaneLoops: WebAssembly SIMD kernels are off on this thread');
  const { kind, inner, channels, a, b, out, results, first, second, third, fourth } = args;
  // Byte 0 holds planeGradientSums' two float64 results; planes follow, 16-byte aligned.
  const stride = Math.ceil((inner * 4) / 16) * 16;
  const aAt = 16;
  const bAt = aAt + stride;
  const outAt = bAt + stride;
  lib.reserveSimdMemory(simd, outAt + stride);
  const run = simd.planes;
  for (let plane = start; plane < end; plane++) {
    const c = plane % channels;
    const offset = plane * inner;
    simd.heap32.set(a.subarray(offset, offset + inner), aAt / 4);
    if (b.length > 0) simd.heap32.set(b.subarray(offset, offset + inner), bAt / 4);
    if (kind === 'sum') results[plane] = run.planeSum(aAt, inner);
    else if (kind === 'squaredDeviation') results[plane] = run.planeSquaredDeviation(aAt, inner, first[c]);
    else if (kind === 'affine') run.planeAffine(aAt, outAt, inner, first[c], second[c]);
    else if (kind === 'normGradientSums') {
      run.planeGradientSums(aAt, bAt, inner, first[c], 0);
      results[2 * plane] = simd.heap64[0];
      results[2 * plane + 1] = simd.heap64[1];
    } else if (kind === 'normGradient')
      run.planeNormGradient(aAt, bAt, outAt, inner, first[c], second[c], third[c], fourth[c]);
    else if (kind === 'prelu') run.planePrelu(aAt, outAt, inner, first[c]);
    else results[plane] = run.planePreluGradient(aAt, bAt, outAt, inner, first[c]);
    if (out.length > 0) out.set(simd.heap32.subarray(outAt / 4, outAt / 4 + inner), offset);
  }
}
