import type { MatmulProblem } from '../../kernels.js';

/**
 * Reference CPU matmul (the plain loops every optimised kernel is tested against): flat typed-array loops with precomputed strides. The i-p-j loop order
 * walks B and out row by row, so the inner loop is a contiguous multiply-add.
 */
export function matmulReference(problem: MatmulProblem): void {
  const { a, b, out, batch, m, k, n, transposeA, transposeB, aBatchStride, bBatchStride } = problem;
  // Element (i, p) of op(A) lives at i * aRow + p * aCol; likewise for B.
  const aRow = transposeA ? 1 : k;
  const aCol = transposeA ? m : 1;
  const bRow = transposeB ? 1 : n;
  const bCol = transposeB ? k : 1;
  out.fill(0, 0, batch * m * n);
  for (let batchIndex = 0; batchIndex < batch; batchIndex++) {
    const aBase = batchIndex * aBatchStride;
    const bBase = batchIndex * bBatchStride;
    const outBase = batchIndex * m * n;
    for (let i = 0; i < m; i++) {
      const outRow = outBase + i * n;
      for (let p = 0; p < k; p++) {
        const aValue = a[aBase + i * aRow + p * aCol];
        const bStart = bBase + p * bRow;
        if (bCol === 1) {
          for (let j = 0; j < n; j++) out[outRow + j] += aValue * b[bStart + j];
        } else {
          for (let j = 0; j < n; j++) out[outRow + j] += aValue * b[bStart + j * bCol];
        }
      }
    }
  }
}
