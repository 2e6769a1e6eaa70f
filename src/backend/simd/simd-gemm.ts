import type { Storage } from '../../tensor/dtype.js';
import type { Workspace } from '../cpu/gemm.js';
import type { KernelLibrary } from '../cpu/kernel-library.js';

/**
 * The float32 GEMM on WebAssembly SIMD: the same BLIS loop nest as gemm.ts, with packing in
 * JavaScript (straight into the module's memory) and the macro-kernel (every register tile of a
 * packed block) in WebAssembly (gemm-module.ts). Like gemm.ts these functions also run
 * in the worker threads from their source text, so they reach other modules' kernels through `lib`.
 */

/** One thread's WebAssembly kernels: the instance's exports and views of its memory. */
export interface SimdKernels {
  memory: WebAssembly.Memory;
  /** See gemm-module.ts: (rows, cols, depth, a, b, bPanelStep, bRowStep, c64, c64Stride, c32, c32Stride, fresh). */
  gemmBlock: (...pointersAndSizes: number[]) => void;
  /** See dot-module.ts: (rows, cols, depth, a, aRowStep, b, bRowStep, c64, c64Stride, c32, c32Stride, fresh). */
  gemmDotBlock: (...pointersAndSizes: number[]) => void;
  /** The memory as float32, replaced whenever the memory grows (growing detaches old views). */
  heap32: Float32Array;
}

/** Instantiates the SIMD module for the calling thread (each thread has its own memory). */
export function instantiateSimdKernels(moduleBytes: Uint8Array<ArrayBuffer>): SimdKernels {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes), {});
  const memory = instance.exports.memory as WebAssembly.Memory;
  return {
    memory,
    gemmBlock: instance.exports.gemmBlock as SimdKernels['gemmBlock'],
    gemmDotBlock: instance.exports.gemmDotBlock as SimdKernels['gemmDotBlock'],
    heap32: new Float32Array(memory.buffer),
  };
}

/** Grows the thread's module memory to at least `bytes` bytes (and renews the views). */
export function reserveSimdMemory(simd: SimdKernels, bytes: number): void {
  if (simd.memory.buffer.byteLength >= bytes) return;
  simd.memory.grow(Math.ceil((bytes - simd.memory.buffer.byteLength) / 65536));
  simd.heap32 = new Float32Array(simd.memory.buffer);
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
  // Both operands run along the depth (A row-major, B given as its transpose's rows): dot kernel.
  if (aColStride === 1 && bRowStride === 1 && bColStride !== 1) {
    gemmDotSimd(
      lib,
      workspace,
      m,
      n,
      k,
      a,
      aOffset,
      aRowStride,
      b,
      bOffset,
      bColStride,
      c,
      cOffset,
      cRowStride,
      accumulate,
    );
    return;
  }
  // Register tile 4 x 8 (simdPanelRows x simdPanelColumns); blocks as in gemm.ts.
  const blockK = 256;
  const blockM = 64;
  const blockN = 512;
  const simd = workspace.simd as SimdKernels;
  const rowsPadded = Math.ceil(m / 4) * 4;
  // Memory layout in bytes: packed A block, B block (packed or rows copied as they are), the C
  // block in float64 (the sums) and in float32 (their rounding, copied out).
  const bBytes = blockM * blockK * 4;
  const c64Bytes = bBytes + blockK * (blockN + 8) * 4;
  const c32Bytes = c64Bytes + rowsPadded * blockN * 8;
  lib.reserveSimdMemory(simd, c32Bytes + rowsPadded * blockN * 4);
  const { heap32 } = simd;
  const packedA = heap32.subarray(0, bBytes / 4);
  const bBlock = heap32.subarray(bBytes / 4, c64Bytes / 4);
  // Row-major B (unit column stride) is copied row by row with memcpy and read in place; other
  // layouts are packed into 8-column panels.
  const rowMajorB = bColStride === 1;
  for (let jc = 0; jc < n; jc += blockN) {
    const nc = Math.min(blockN, n - jc);
    const colsPadded = Math.ceil(nc / 8) * 8;
    // Copied rows sit 8 floats further apart than their width: a power-of-two stride (2 KiB for
    // 512 columns) maps every row of a panel onto the same few L1 sets and evicts them.
    const bRow = colsPadded + 8;
    for (let pc = 0; pc < k; pc += blockK) {
      const kc = Math.min(blockK, k - pc);
      const bStart = bOffset + pc * bRowStride + jc * bColStride;
      if (rowMajorB) {
        for (let p = 0; p < kc; p++) {
          const from = bStart + p * bRowStride;
          bBlock.set(b.subarray(from, from + nc), p * bRow);
        }
      } else lib.packPanelsB(b, bStart, bRowStride, bColStride, kc, nc, bBlock);
      for (let ic = 0; ic < m; ic += blockM) {
        const mc = Math.min(blockM, m - ic);
        lib.packPanelsA(a, aOffset + ic * aRowStride + pc * aColStride, aRowStride, aColStride, mc, kc, packedA);
        simd.gemmBlock(
          Math.ceil(mc / 4) * 4,
          colsPadded,
          kc,
          0,
          bBytes,
          rowMajorB ? 32 : kc * 32,
          rowMajorB ? bRow * 4 : 32,
          c64Bytes + ic * colsPadded * 8,
          colsPadded * 8,
          c32Bytes + ic * colsPadded * 4,
          colsPadded * 4,
          pc === 0 ? 1 : 0,
        );
      }
    }
    writeRoundedBlock(heap32, c32Bytes / 4, colsPadded, m, nc, c, cOffset + jc, cRowStride, accumulate);
  }
}

/**
 * C (+)= A @ B^T-rows in float32 with dot-module.ts's kernel: row i of A at aOffset + i*aRowStride
 * and row j of B's transpose at bOffset + j*bTransposeRowStride, both contiguous along k. Rows are
 * copied into the module's memory by memcpy, depth-padded with zeros to a multiple of 4.
 */
export function gemmDotSimd(
  lib: KernelLibrary,
  workspace: Workspace,
  m: number,
  n: number,
  k: number,
  a: Storage,
  aOffset: number,
  aRowStride: number,
  b: Storage,
  bOffset: number,
  bTransposeRowStride: number,
  c: Storage,
  cOffset: number,
  cRowStride: number,
  accumulate: boolean,
): void {
  const blockK = 512;
  const blockN = 512;
  const simd = workspace.simd as SimdKernels;
  const rowsPadded = Math.ceil(m / 4) * 4;
  // Rows are staged 4 floats longer than the padded depth, off the power-of-two strides that alias in L1.
  const rowFloats = blockK + 4;
  const bStart = rowsPadded * rowFloats;
  const c64Start = bStart + blockN * rowFloats;
  const c32Start = c64Start + rowsPadded * blockN * 2;
  lib.reserveSimdMemory(simd, (c32Start + rowsPadded * blockN) * 4);
  const heap = simd.heap32;
  for (let jc = 0; jc < n; jc += blockN) {
    const nc = Math.min(blockN, n - jc);
    const colsPadded = Math.ceil(nc / 2) * 2;
    for (let pc = 0; pc < k; pc += blockK) {
      const kc = Math.min(blockK, k - pc);
      const depthPadded = Math.ceil(kc / 4) * 4;
      for (let i = 0; i < rowsPadded; i++) {
        const to = i * rowFloats;
        if (i < m) {
          const from = aOffset + i * aRowStride + pc;
          heap.set(a.subarray(from, from + kc), to);
          heap.fill(0, to + kc, to + depthPadded);
        } else heap.fill(0, to, to + depthPadded);
      }
      for (let j = 0; j < colsPadded; j++) {
        const to = bStart + j * rowFloats;
        if (j < nc) {
          const from = bOffset + (jc + j) * bTransposeRowStride + pc;
          heap.set(b.subarray(from, from + kc), to);
          heap.fill(0, to + kc, to + depthPadded);
        } else heap.fill(0, to, to + depthPadded);
      }
      simd.gemmDotBlock(
        rowsPadded,
        colsPadded,
        depthPadded,
        0,
        rowFloats * 4,
        bStart * 4,
        rowFloats * 4,
        c64Start * 4,
        colsPadded * 8,
        c32Start * 4,
        colsPadded * 4,
        pc === 0 ? 1 : 0,
      );
    }
    writeRoundedBlock(heap, c32Start, colsPadded, m, nc, c, cOffset + jc, cRowStride, accumulate);
  }
}

/**
 * Writes (or adds) the m x cols float32 results a kernel left in `heap` at `start` (row stride
 * `heapRow`) into C at cOffset (row stride cRowStride).
 */
export function writeRoundedBlock(
  heap: Float32Array,
  start: number,
  heapRow: number,
  m: number,
  cols: number,
  c: Storage,
  cOffset: number,
  cRowStride: number,
  accumulate: boolean,
): void {
  for (let i = 0; i < m; i++) {
    const from = start + i * heapRow;
    const to = cOffset + i * cRowStride;
    if (accumulate) for (let j = 0; j < cols; j++) c[to + j] += heap[from + j];
    else c.set(heap.subarray(from, from + cols), to);
  }
}
