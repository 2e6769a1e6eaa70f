import type { Storage } from '../../tensor/dtype.js';

/**
 * The operands of the GEMM kernels and the packing both kernels share (gemm.ts in scalar
 * TypeScript, simd-gemm.ts on WebAssembly SIMD): blocks of A and B are copied into panels laid out
 * in the order the micro-kernels read them, so strided and transposed operands cost only the copy.
 */

/** A matrix inside flat storage: element (i, j) at data[offset + i*rowStride + j*colStride]. */
export interface StridedMatrix {
  data: Storage;
  offset: number;
  rowStride: number;
  colStride: number;
}

/**
 * product (+)= left @ right, where left is rows x depth, right depth x cols and product rows x cols
 * (its colStride must be 1). `accumulate` false overwrites the product.
 */
export interface GemmProblem {
  rows: number;
  cols: number;
  depth: number;
  left: StridedMatrix;
  right: StridedMatrix;
  product: StridedMatrix;
  accumulate: boolean;
}

/** The block of `matrix` whose element (0, 0) is the matrix's (row, col). */
export function blockAt(matrix: StridedMatrix, row: number, col: number): StridedMatrix {
  return { ...matrix, offset: matrix.offset + row * matrix.rowStride + col * matrix.colStride };
}

/**
 * Packs rows [0, rows) x columns [0, depth) of A into 4-row panels: panel r holds, for each p,
 * the 4 values of rows 4r..4r+3 (zero past `rows`).
 */
export function packPanelsA(source: StridedMatrix, rows: number, depth: number, packed: Storage): void {
  const { data: a, offset, rowStride, colStride } = source;
  for (let panel = 0; panel < rows; panel += 4) {
    const panelBase = panel * depth;
    for (let r = 0; r < 4; r++) {
      const row = panel + r;
      let o = panelBase + r;
      if (row < rows) {
        const from = offset + row * rowStride;
        for (let p = 0; p < depth; p++, o += 4) packed[o] = a[from + p * colStride];
      } else {
        for (let p = 0; p < depth; p++, o += 4) packed[o] = 0;
      }
    }
  }
}

/**
 * Packs rows [0, depth) x columns [0, cols) of B into 8-column panels: panel c holds, for each p,
 * the 8 values of columns 8c..8c+7 (zero past `cols`).
 */
export function packPanelsB(source: StridedMatrix, depth: number, cols: number, packed: Storage): void {
  const { data: b, offset, rowStride, colStride } = source;
  for (let panel = 0; panel < cols; panel += 8) {
    const panelBase = panel * depth;
    const width = Math.min(8, cols - panel);
    if (colStride === 1 && width === 8) {
      // Row-major B: each p contributes 8 contiguous values.
      for (let p = 0, o = panelBase; p < depth; p++, o += 8) {
        const from = offset + p * rowStride + panel;
        for (let c = 0; c < 8; c++) packed[o + c] = b[from + c];
      }
      continue;
    }
    // Column-major (transposed) B reads each column contiguously.
    for (let c = 0; c < 8; c++) {
      let o = panelBase + c;
      if (c < width) {
        const from = offset + (panel + c) * colStride;
        for (let p = 0; p < depth; p++, o += 8) packed[o] = b[from + p * rowStride];
      } else {
        for (let p = 0; p < depth; p++, o += 8) packed[o] = 0;
      }
    }
  }
}
