import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { cpuBackend } from '../../../src/backend/cpu/cpu-backend.js';
import { gemm } from '../../../src/backend/cpu/gemm.js';
import type { Workspace } from '../../../src/backend/cpu/workspace.js';
import { instantiateSimdKernels } from '../../../src/backend/simd/simd-gemm.js';
import { getCpuSimd, setCpuSimd, simdModuleBytes } from '../../../src/backend/simd/simd-switch.js';
import { signedLeb, unsignedLeb } from '../../../src/backend/simd/wasm-writer.js';
import { allocate, type Storage } from '../../../src/tensor/dtype.js';
import { uniformStorage } from './problems.js';

const simdWasOn = getCpuSimd();
afterAll(() => setCpuSimd(simdWasOn));

function simdWorkspace(): Workspace {
  return { arrays: {}, simd: instantiateSimdKernels(simdModuleBytes() as Uint8Array<ArrayBuffer>) };
}

interface Product {
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
  accumulate: boolean;
  seed: number;
}

/** Runs C (+)= op(A) @ op(B) through gemm with the given workspace; C starts from seeded values. */
function runGemm(workspace: Workspace, p: Product, a: Storage, b: Storage): Storage {
  const c = uniformStorage('float32', p.m * p.n, p.seed + 2);
  gemm(workspace, {
    rows: p.m,
    cols: p.n,
    depth: p.k,
    left: { data: a, offset: 0, rowStride: p.transposeA ? 1 : p.k, colStride: p.transposeA ? p.m : 1 },
    right: { data: b, offset: 0, rowStride: p.transposeB ? 1 : p.n, colStride: p.transposeB ? p.k : 1 },
    product: { data: c, offset: 0, rowStride: p.n, colStride: 1 },
    accumulate: p.accumulate,
  });
  return c;
}

/** Largest |C - exact| / (sum over k of |a b| + |c0|), with the exact answer in float64. */
function worstRelativeError(p: Product, a: Storage, b: Storage, c: Storage): number {
  const c0 = uniformStorage('float32', p.m * p.n, p.seed + 2);
  let worst = 0;
  for (let i = 0; i < p.m; i++) {
    for (let j = 0; j < p.n; j++) {
      let exact = p.accumulate ? c0[i * p.n + j] : 0;
      let scale = Math.abs(exact);
      for (let q = 0; q < p.k; q++) {
        const term = a[p.transposeA ? q * p.m + i : i * p.k + q] * b[p.transposeB ? j * p.k + q : q * p.n + j];
        exact += term;
        scale += Math.abs(term);
      }
      worst = Math.max(worst, Math.abs(c[i * p.n + j] - exact) / Math.max(scale, 1e-30));
    }
  }
  return worst;
}

const productArb = fc.record({
  m: fc.integer({ min: 1, max: 75 }),
  n: fc.integer({ min: 1, max: 41 }),
  k: fc.integer({ min: 1, max: 300 }),
  transposeA: fc.boolean(),
  transposeB: fc.boolean(),
  accumulate: fc.boolean(),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
});

describe('WebAssembly SIMD GEMM (src/backend/simd/simd-gemm.ts, gemm-module.ts)', () => {
  test('LEB128 encodings match the WebAssembly specification examples', () => {
    expect(unsignedLeb(0)).toEqual([0x00]);
    expect(unsignedLeb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(signedLeb(-1)).toEqual([0x7f]);
    expect(signedLeb(64)).toEqual([0xc0, 0x00]);
    expect(signedLeb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });

  test('the module validates on this runtime, so SIMD is on by default', () => {
    expect(simdModuleBytes()).not.toBeNull();
    expect(WebAssembly.validate(simdModuleBytes() as Uint8Array<ArrayBuffer>)).toBe(true);
  });

  // Tolerance: each float32 chain holds at most 32 products (error at most 32 x 2^-24 = 1.9e-6 of
  // its sum of |terms|), the chains are summed in float64 and rounded once more: 2.1e-6 of
  // sum|terms| bounds it. The scalar kernel (float64 sums, float32 between 256-deep blocks) meets it too.
  const bound = 2.1e-6;
  test.prop([productArb], { numRuns: 60 })(
    'equals the float64 product within 2.1e-6 of sum|terms|, for every edge size, transpose and accumulate',
    (p) => {
      const a = uniformStorage('float32', p.m * p.k, p.seed);
      const b = uniformStorage('float32', p.k * p.n, p.seed + 1);
      const simd = runGemm(simdWorkspace(), p, a, b);
      const scalar = runGemm({ arrays: {}, simd: null }, p, a, b);
      expect(worstRelativeError(p, a, b, simd)).toBeLessThan(bound);
      expect(worstRelativeError(p, a, b, scalar)).toBeLessThan(bound);
    },
  );

  test('blocks across every loop (m > 64, n > 512, k > 256 and > 512) and a C block that grows the module memory', () => {
    for (const p of [
      { m: 70, n: 530, k: 300, transposeA: false, transposeB: true, accumulate: true, seed: 5 },
      { m: 2100, n: 9, k: 3, transposeA: true, transposeB: false, accumulate: false, seed: 6 },
      // B transposed with A row-major takes the dot kernel (dot-module.ts): depth past its 512 block.
      { m: 9, n: 21, k: 1100, transposeA: false, transposeB: true, accumulate: true, seed: 7 },
    ]) {
      const a = uniformStorage('float32', p.m * p.k, p.seed);
      const b = uniformStorage('float32', p.k * p.n, p.seed + 1);
      expect(worstRelativeError(p, a, b, runGemm(simdWorkspace(), p, a, b))).toBeLessThan(bound);
    }
  });

  test('tiles of m and n give the same bits as one call (each sum runs over k in one order)', () => {
    const [m, n, k] = [37, 45, 290];
    const a = uniformStorage('float32', m * k, 11);
    const b = uniformStorage('float32', k * n, 12);
    const workspace = simdWorkspace();
    const whole = allocate('float32', m * n);
    gemm(workspace, {
      rows: m,
      cols: n,
      depth: k,
      left: { data: a, offset: 0, rowStride: k, colStride: 1 },
      right: { data: b, offset: 0, rowStride: n, colStride: 1 },
      product: { data: whole, offset: 0, rowStride: n, colStride: 1 },
      accumulate: false,
    });
    const tiled = allocate('float32', m * n);
    for (const [i0, rows] of [
      [0, 13],
      [13, 24],
    ]) {
      for (const [j0, cols] of [
        [0, 9],
        [9, 36],
      ]) {
        gemm(workspace, {
          rows,
          cols,
          depth: k,
          left: { data: a, offset: i0 * k, rowStride: k, colStride: 1 },
          right: { data: b, offset: j0, rowStride: n, colStride: 1 },
          product: { data: tiled, offset: i0 * n + j0, rowStride: n, colStride: 1 },
          accumulate: false,
        });
      }
    }
    expect(tiled.every((value, i) => Object.is(value, whole[i]))).toBe(true);
  });

  test('setCpuSimd switches the engine, and the backend names the one that runs', () => {
    setCpuSimd(false);
    expect(getCpuSimd()).toBe(false);
    expect(cpuBackend.describe().kernelClass).toContain('GEMMs in scalar TypeScript (SIMD turned off)');
    setCpuSimd(true);
    expect(cpuBackend.describe().kernelClass).toContain('GEMMs on WebAssembly SIMD');
    expect(() => setCpuSimd('yes' as unknown as boolean)).toThrow('setCpuSimd: expected a boolean, got yes');
  });

  const child = fileURLToPath(new URL('./exit-cleanly.child.ts', import.meta.url));
  function childWithSimd(value: string) {
    return spawnSync(process.execPath, ['--import', 'tsx', child], {
      env: { ...process.env, ARCGRAD_THREADS: '2', ARCGRAD_SIMD: value },
      timeout: 60_000,
      encoding: 'utf8',
    });
  }

  test('ARCGRAD_SIMD=0 turns SIMD off in a fresh process; a bad value is an error naming the variable', () => {
    const off = childWithSimd('0');
    expect(off.status).toBe(0);
    expect(JSON.parse(off.stdout.trim())).toMatchObject({ threads: 2, simd: false });
    const bad = childWithSimd('fast');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain("ARCGRAD_SIMD: expected 1/on/true or 0/off/false, got 'fast'");
  });
});
