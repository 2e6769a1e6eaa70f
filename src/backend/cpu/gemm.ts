import type { Storage } from '../../tensor/dtype.js';
import { gemmSimd } from '../simd/simd-gemm.js';
import { blockAt, type GemmProblem, packPanelsA, packPanelsB } from './gemm-packing.js';
import { scratchArray, type Workspace } from './workspace.js';

/**
 * Packed, cache-blocked, register-blocked matrix product (the BLIS/GotoBLAS loop nest) in plain
 * TypeScript. A KC x NC block of B is packed into 8-column panels and an MC x KC block of A into
 * 4-row panels, so the 4x8 micro-kernel streams both from contiguous memory while 32 accumulators
 * stay in registers. Any row/column strides are accepted, so transposes and NCHW views cost only
 * the packing (gemm-packing.ts).
 */

/**
 * The 4x8 micro-kernel: c[4x8 tile at cOffset, row stride ldc] (+)= panelA(4 x depth) @ panelB(depth x 8).
 * Loading the 8 B values once and each A value in turn keeps the live set inside the 16 vector
 * registers V8 allocates from; this order measured 4.2 GFLOP/s against 2.5 for A-first on this machine.
 */
export function microKernel4x8(
  depth: number,
  packedA: Storage,
  aOffset: number,
  packedB: Storage,
  bOffset: number,
  c: Storage,
  cOffset: number,
  ldc: number,
  overwrite: boolean,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0,
    c04 = 0,
    c05 = 0,
    c06 = 0,
    c07 = 0;
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0,
    c14 = 0,
    c15 = 0,
    c16 = 0,
    c17 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0,
    c24 = 0,
    c25 = 0,
    c26 = 0,
    c27 = 0;
  let c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0,
    c34 = 0,
    c35 = 0,
    c36 = 0,
    c37 = 0;
  let ao = aOffset;
  let bo = bOffset;
  for (let p = 0; p < depth; p++) {
    const b0 = packedB[bo];
    const b1 = packedB[bo + 1];
    const b2 = packedB[bo + 2];
    const b3 = packedB[bo + 3];
    const b4 = packedB[bo + 4];
    const b5 = packedB[bo + 5];
    const b6 = packedB[bo + 6];
    const b7 = packedB[bo + 7];
    let av = packedA[ao];
    c00 += av * b0;
    c01 += av * b1;
    c02 += av * b2;
    c03 += av * b3;
    c04 += av * b4;
    c05 += av * b5;
    c06 += av * b6;
    c07 += av * b7;
    av = packedA[ao + 1];
    c10 += av * b0;
    c11 += av * b1;
    c12 += av * b2;
    c13 += av * b3;
    c14 += av * b4;
    c15 += av * b5;
    c16 += av * b6;
    c17 += av * b7;
    av = packedA[ao + 2];
    c20 += av * b0;
    c21 += av * b1;
    c22 += av * b2;
    c23 += av * b3;
    c24 += av * b4;
    c25 += av * b5;
    c26 += av * b6;
    c27 += av * b7;
    av = packedA[ao + 3];
    c30 += av * b0;
    c31 += av * b1;
    c32 += av * b2;
    c33 += av * b3;
    c34 += av * b4;
    c35 += av * b5;
    c36 += av * b6;
    c37 += av * b7;
    ao += 4;
    bo += 8;
  }
  let o = cOffset;
  if (overwrite) {
    c[o] = c00;
    c[o + 1] = c01;
    c[o + 2] = c02;
    c[o + 3] = c03;
    c[o + 4] = c04;
    c[o + 5] = c05;
    c[o + 6] = c06;
    c[o + 7] = c07;
    o += ldc;
    c[o] = c10;
    c[o + 1] = c11;
    c[o + 2] = c12;
    c[o + 3] = c13;
    c[o + 4] = c14;
    c[o + 5] = c15;
    c[o + 6] = c16;
    c[o + 7] = c17;
    o += ldc;
    c[o] = c20;
    c[o + 1] = c21;
    c[o + 2] = c22;
    c[o + 3] = c23;
    c[o + 4] = c24;
    c[o + 5] = c25;
    c[o + 6] = c26;
    c[o + 7] = c27;
    o += ldc;
    c[o] = c30;
    c[o + 1] = c31;
    c[o + 2] = c32;
    c[o + 3] = c33;
    c[o + 4] = c34;
    c[o + 5] = c35;
    c[o + 6] = c36;
    c[o + 7] = c37;
  } else {
    c[o] += c00;
    c[o + 1] += c01;
    c[o + 2] += c02;
    c[o + 3] += c03;
    c[o + 4] += c04;
    c[o + 5] += c05;
    c[o + 6] += c06;
    c[o + 7] += c07;
    o += ldc;
    c[o] += c10;
    c[o + 1] += c11;
    c[o + 2] += c12;
    c[o + 3] += c13;
    c[o + 4] += c14;
    c[o + 5] += c15;
    c[o + 6] += c16;
    c[o + 7] += c17;
    o += ldc;
    c[o] += c20;
    c[o + 1] += c21;
    c[o + 2] += c22;
    c[o + 3] += c23;
    c[o + 4] += c24;
    c[o + 5] += c25;
    c[o + 6] += c26;
    c[o + 7] += c27;
    o += ldc;
    c[o] += c30;
    c[o + 1] += c31;
    c[o + 2] += c32;
    c[o + 3] += c33;
    c[o + 4] += c34;
    c[o + 5] += c35;
    c[o + 6] += c36;
    c[o + 7] += c37;
  }
}

/**
 * product (+)= left @ right (see GemmProblem). Each element's sum runs over the depth in the same
 * order whatever the caller's tiling of rows and columns, so tiled and threaded calls agree bit for
 * bit. float32 products run on the WebAssembly SIMD kernel (simd-gemm.ts) while the thread has one.
 */
export function gemm(workspace: Workspace, problem: GemmProblem): void {
  const { rows: m, cols: n, depth: k, left, right, product, accumulate } = problem;
  const c = product.data;
  const cOffset = product.offset;
  const cRowStride = product.rowStride;
  // KC x NC of packed B (512 KB in float32) stays in L2; a 4 x KC panel of A and an 8 x KC panel of B in L1.
  const blockK = 256;
  const blockM = 64;
  const blockN = 512;
  const float64 = c instanceof Float64Array;
  if (workspace.simd !== null && !float64 && k > 0 && m > 0) {
    gemmSimd(workspace.simd, problem);
    return;
  }
  if (k === 0) {
    if (!accumulate) for (let i = 0; i < m; i++) c.fill(0, cOffset + i * cRowStride, cOffset + i * cRowStride + n);
    return;
  }
  const packedA = scratchArray(workspace, 'gemmA', blockM * blockK, float64);
  const packedB = scratchArray(workspace, 'gemmB', blockN * blockK, float64);
  const edgeTile = scratchArray(workspace, 'gemmTile', 32, float64);
  for (let jc = 0; jc < n; jc += blockN) {
    const nc = Math.min(blockN, n - jc);
    for (let pc = 0; pc < k; pc += blockK) {
      const kc = Math.min(blockK, k - pc);
      const overwrite = pc === 0 && !accumulate;
      packPanelsB(blockAt(right, pc, jc), kc, nc, packedB);
      for (let ic = 0; ic < m; ic += blockM) {
        const mc = Math.min(blockM, m - ic);
        packPanelsA(blockAt(left, ic, pc), mc, kc, packedA);
        for (let jr = 0; jr < nc; jr += 8) {
          const cols = Math.min(8, nc - jr);
          for (let ir = 0; ir < mc; ir += 4) {
            const rows = Math.min(4, mc - ir);
            const cTile = cOffset + (ic + ir) * cRowStride + jc + jr;
            if (rows === 4 && cols === 8) {
              microKernel4x8(kc, packedA, ir * kc, packedB, jr * kc, c, cTile, cRowStride, overwrite);
              continue;
            }
            // Edge tile: compute the full 4x8 tile into scratch and copy its valid part.
            microKernel4x8(kc, packedA, ir * kc, packedB, jr * kc, edgeTile, 0, 8, true);
            for (let r = 0; r < rows; r++) {
              const row = cTile + r * cRowStride;
              if (overwrite) for (let j = 0; j < cols; j++) c[row + j] = edgeTile[r * 8 + j];
              else for (let j = 0; j < cols; j++) c[row + j] += edgeTile[r * 8 + j];
            }
          }
        }
      }
    }
  }
}
