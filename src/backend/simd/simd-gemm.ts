import { blockAt, type GemmProblem, packPanelsA, packPanelsB, type StridedMatrix } from '../cpu/gemm-packing.js';

/**
 * The float32 GEMM on WebAssembly SIMD: the same BLIS loop nest as gemm.ts, with packing in
 * JavaScript (straight into the module's memory) and the macro-kernel (every register tile of a
 * packed block) in WebAssembly (gemm-module.ts). Each thread has its own instance (SimdKernels).
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
function reserveSimdMemory(simd: SimdKernels, bytes: number): void {
  if (simd.memory.buffer.byteLength >= bytes) return;
  simd.memory.grow(Math.ceil((bytes - simd.memory.buffer.byteLength) / 65536));
  simd.heap32 = new Float32Array(simd.memory.buffer);
}

/**
 * product (+)= left @ right in float32 with the SIMD macro-kernel (see gemm.ts's gemm). The block of
 * all rows and up to blockN columns is summed in float64 in the module's memory over the whole
 * depth, then rounded and written (or added) to the product once, so each element's sum runs over
 * the depth in the same order whatever the caller's tiling: tiled and threaded calls agree bit for bit.
 */
export function gemmSimd(simd: SimdKernels, problem: GemmProblem): void {
  const { rows: m, cols: n, depth: k, left, right, product, accumulate } = problem;
  // Both operands run along the depth (left row-major, right given as its transpose's rows): dot kernel.
  if (left.colStride === 1 && right.rowStride === 1 && right.colStride !== 1) {
    gemmDotSimd(simd, problem);
    return;
  }
  // Register tile 4 x 8 (simdPanelRows x simdPanelColumns); blocks as in gemm.ts.
  const blockK = 256;
  const blockM = 64;
  const blockN = 512;
  const rowsPadded = Math.ceil(m / 4) * 4;
  // Memory layout in bytes: packed A block, B block (packed or rows copied as they are), the C
  // block in float64 (the sums) and in float32 (their rounding, copied out).
  const bBytes = blockM * blockK * 4;
  const c64Bytes = bBytes + blockK * (blockN + 8) * 4;
  const c32Bytes = c64Bytes + rowsPadded * blockN * 8;
  reserveSimdMemory(simd, c32Bytes + rowsPadded * blockN * 4);
  const { heap32 } = simd;
  const packedA = heap32.subarray(0, bBytes / 4);
  const bBlock = heap32.subarray(bBytes / 4, c64Bytes / 4);
  // Row-major B (unit column stride) is copied row by row with memcpy and read in place; other
  // layouts are packed into 8-column panels.
  const rowMajorB = right.colStride === 1;
  const b = right.data;
  for (let jc = 0; jc < n; jc += blockN) {
    const nc = Math.min(blockN, n - jc);
    const colsPadded = Math.ceil(nc / 8) * 8;
    // Copied rows sit 8 floats further apart than their width: a power-of-two stride (2 KiB for
    // 512 columns) maps every row of a panel onto the same few L1 sets and evicts them.
    const bRow = colsPadded + 8;
    for (let pc = 0; pc < k; pc += blockK) {
      const kc = Math.min(blockK, k - pc);
      const rightBlock = blockAt(right, pc, jc);
      if (rowMajorB) {
        for (let p = 0; p < kc; p++) {
          const from = rightBlock.offset + p * right.rowStride;
          bBlock.set(b.subarray(from, from + nc), p * bRow);
        }
      } else packPanelsB(rightBlock, kc, nc, bBlock);
      for (let ic = 0; ic < m; ic += blockM) {
        const mc = Math.min(blockM, m - ic);
        packPanelsA(blockAt(left, ic, pc), mc, kc, packedA);
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
    writeRoundedBlock(heap32, c32Bytes / 4, colsPadded, m, nc, blockAt(product, 0, jc), accumulate);
  }
}

/**
 * product (+)= left @ right in float32 with dot-module.ts's kernel, for a row-major left
 * (colStride 1) and a right whose columns are contiguous along the depth (rowStride 1). Rows are
 * copied into the module's memory by memcpy, depth-padded with zeros to a multiple of 4.
 */
function gemmDotSimd(simd: SimdKernels, problem: GemmProblem): void {
  const { rows: m, cols: n, depth: k, left, right, product, accumulate } = problem;
  const a = left.data;
  const b = right.data;
  const blockK = 512;
  const blockN = 512;
  const rowsPadded = Math.ceil(m / 4) * 4;
  // Rows are staged 4 floats longer than the padded depth, off the power-of-two strides that alias in L1.
  const rowFloats = blockK + 4;
  const bStart = rowsPadded * rowFloats;
  const c64Start = bStart + blockN * rowFloats;
  const c32Start = c64Start + rowsPadded * blockN * 2;
  reserveSimdMemory(simd, (c32Start + rowsPadded * blockN) * 4);
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
          const from = left.offset + i * left.rowStride + pc;
          heap.set(a.subarray(from, from + kc), to);
          heap.fill(0, to + kc, to + depthPadded);
        } else heap.fill(0, to, to + depthPadded);
      }
      for (let j = 0; j < colsPadded; j++) {
        const to = bStart + j * rowFloats;
        if (j < nc) {
          const from = right.offset + (jc + j) * right.colStride + pc;
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
    writeRoundedBlock(heap, c32Start, colsPadded, m, nc, blockAt(product, 0, jc), accumulate);
  }
}

/**
 * Writes (or adds) the rows x cols float32 results a kernel left in `heap` at `start` (row stride
 * `heapRow`) into the product block.
 */
function writeRoundedBlock(
  heap: Float32Array,
  start: number,
  heapRow: number,
  rows: number,
  cols: number,
  product: StridedMatrix,
  accumulate: boolean,
): void {
  const { data: c, offset, rowStride } = product;
  for (let i = 0; i < rows; i++) {
    const from = start + i * heapRow;
    const to = offset + i * rowStride;
    if (accumulate) for (let j = 0; j < cols; j++) c[to + j] += heap[from + j];
    else c.set(heap.subarray(from, from + cols), to);
  }
}
