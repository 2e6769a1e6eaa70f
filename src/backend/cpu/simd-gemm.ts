import type { Storage } from '../../tensor/dtype.js';
import type { Workspace } from './gemm.js';
import type { KernelLibrary } from './kernel-library.js';

/**
 * The float32 GEMM on WebAssembly SIMD: the same BLIS loop nest as gemm.ts, with packing in
 * JavaScript (straight into the module's memory) and the macro-kernel (every register tile of a
 * packed block) in WebAssembly (wasm/simd-gemm-module.ts). Like gemm.ts these functions also run
 * in the worker threads from their source text, so they reach other modules' kernels through `lib`.
 */

/** One thread's WebAssembly kernels: the instance's exports and views of its memory. */
export interface SimdKernels {
  memory: WebAssembly.Memory;
  gemmBlock: (rows: number, cols: number, depth: number, a: number, b: number, c: number, cStride: number) => void;
  /** The memory as float32 and as float64, replaced whenever the memory grows (growing detaches old views). */
  heap32: Float32Array;
  heap64: Float64Array;
}

/** Instantiates the SIMD module for the calling thread (each thread has its own memory). */
export function instantiateSimdKernels(moduleBytes: Uint8Array<ArrayBuffer>): SimdKernels {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes), {});
  const memory = instance.exports.memory as WebAssembly.Memory;
  return {
    memory,
    gemmBlock: instance.exports.gemmBlock as SimdKernels['gemmBlock'],
    heap32: new Float32Array(memory.buffer),
    heap64: new Float64Array(memory.buffer),
  };
}

/** Grows the thread's module memory to at least `bytes` bytes (and renews the views). */
export function reserveSimdMemory(simd: SimdKernels, bytes: number): void {
  if (simd.memory.buffer.byteLength >= bytes) return;
  simd.memory.grow(Math.ceil((bytes - simd.memory.buffer.byteLength) / 65536));
  simd.heap32 = new Float32Array(simd.memory.buffer);
  simd.heap64 = new Float64Array(simd.memory.buffer);
}

/**
 * C (+)= A @ B in float32 with the SIMD macro-kernel; arguments as gemm.ts's gemm. The C block of
 * all m rows and up to blockN columns is summed in float64 in the module's memory over the whole
 * depth, then rounded and written (or added) to C once, so each element's sum runs over k in the
 * same order whatever the caller's tiling of m and n: tiled and threaded calls agree bit for bit.
 */
export function gemmSimd(
  lib: KernelLibrary,
  workspace: Workspace,
  m: number,
  n: number,
  k: number,
  a: Storage,
  aOffset: number,
  aRowStride: number,
  aColStride: number,
  b: Storage,
  bOffset: number,
  bRowStride: number,
  bColStride: number,
  c: Storage,
  cOffset: number,
  cRowStride: number,
  accumulate: boolean,
): void {
  // Register tile 4 x 8 (simdPanelRows x simdPanelColumns); blocks as in gemm.ts.
  const blockK = 256;
  const blockM = 64;
  const blockN = 512;
  const simd = workspace.simd as SimdKernels;
  const rowsPadded = Math.ceil(m / 4) * 4;
  // Memory layout in bytes: packed A block (float32), packed B block (float32), the C block (float64).
  const packedBBytes = blockM * blockK * 4;
  const blockBytes = packedBBytes + blockK * blockN * 4;
  reserveSimdMemory(simd, blockBytes + rowsPadded * blockN * 8);
  const { heap32, heap64 } = simd;
  const packedA = heap32.subarray(0, packedBBytes / 4);
  const packedB = heap32.subarray(packedBBytes / 4, blockBytes / 4);
  const blockStart = blockBytes / 8;
  for (let jc = 0; jc < n; jc += blockN) {
    const nc = Math.min(blockN, n - jc);
    const colsPadded = Math.ceil(nc / 8) * 8;
    heap64.fill(0, blockStart, blockStart + rowsPadded * colsPadded);
    for (let pc = 0; pc < k; pc += blockK) {
      const kc = Math.min(blockK, k - pc);
      lib.packPanelsB(b, bOffset + pc * bRowStride + jc * bColStride, bRowStride, bColStride, kc, nc, packedB);
      for (let ic = 0; ic < m; ic += blockM) {
        const mc = Math.min(blockM, m - ic);
        lib.packPanelsA(a, aOffset + ic * aRowStride + pc * aColStride, aRowStride, aColStride, mc, kc, packedA);
        simd.gemmBlock(
          Math.ceil(mc / 4) * 4,
          colsPadded,
          kc,
          0,
          packedBBytes,
          blockBytes + ic * colsPadded * 8,
          colsPadded * 8,
        );
      }
    }
    for (let i = 0; i < m; i++) {
      const from = blockStart + i * colsPadded;
      const to = cOffset + i * cRowStride + jc;
      if (accumulate) for (let j = 0; j < nc; j++) c[to + j] += heap64[from + j];
      else c.set(heap64.subarray(from, from + nc), to);
    }
  }
}
