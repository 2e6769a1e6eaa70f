import fc from 'fast-check';
import * as gpujs from 'gpu.js';
import { cpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import { GpuBackend } from '../../src/backend/gpu/gpu-backend.js';
import type { KernelBackend } from '../../src/backend/kernels.js';
import { type GpuJsModule, referenceCpuBackend, startWebGpu, useGpuJs } from '../../src/browser.js';
import { faceMobileNetConvs } from '../backend/face-mobilenet-shapes.js';
import { convArb, matmulArb } from '../backend/kernel-arbitraries.js';
import { checkCase, convCases, type KernelCase, matmulCase } from '../backend/kernel-problems.js';

/**
 * The cross-backend kernel suite of test/backend, run inside the browser: the same random problems
 * (fast-check, seeded), the same FaceMobileNet shapes (at 32 px, to keep SwiftShader's time short,
 * plus conv9's 1x1 128 -> 512 at 128 px, whose weight gradient has 65536 planes)
 * and the same tolerance, each against the float64 reference.
 */

/** What ran and what failed. */
export interface PageSuiteResult {
  kernelClass: string;
  /** Kernel calls gpu.js's class ran (every case must run there, none on a CPU route). */
  gpuCalls: number;
  cases: number;
  failures: string[];
}

async function backendFor(mode: 'cpu' | 'webgl2' | 'webgpu'): Promise<KernelBackend> {
  if (mode === 'cpu') return cpuBackend;
  if (mode === 'webgpu') await startWebGpu();
  else useGpuJs(gpujs as unknown as GpuJsModule);
  return new GpuBackend({ mode, minFlops: 0 }, cpuBackend);
}

/** Runs the suite on `mode` with `runs` random problems per property. */
export async function pageKernelSuite(mode: 'cpu' | 'webgl2' | 'webgpu', runs: number): Promise<PageSuiteResult> {
  const backend = await backendFor(mode);
  const failures: string[] = [];
  let cases = 0;
  const passes = (kernelCases: KernelCase[]): boolean => {
    cases += kernelCases.length;
    return kernelCases.every((kernelCase) => {
      const violation = checkCase(kernelCase, backend, referenceCpuBackend);
      if (violation !== null) failures.push(violation);
      return violation === null;
    });
  };
  for (const property of [
    fc.property(matmulArb, (spec) => passes([matmulCase(spec)])),
    fc.property(convArb, ({ geometry, seed }) => passes(convCases(geometry, seed))),
  ]) {
    const outcome = fc.check(property as fc.IProperty<unknown>, { numRuns: runs, seed: 42 });
    if (outcome.failed) failures.push(`property failed: ${fc.defaultReportMessage(outcome)}`);
  }
  // At 32 px conv10's 7x7 kernel no longer fits its 2x2 input: that layer is checked at 128 px in Node.
  const fitting = faceMobileNetConvs(1, 32).filter(({ geometry }) => geometry.outHeight >= 1);
  for (const { name, geometry } of fitting) {
    if (!passes(convCases(geometry, 7))) failures.push(`FaceMobileNet ${name} at 32 px`);
  }
  const conv9 = faceMobileNetConvs(1).find(({ name }) => name.startsWith('conv9'));
  if (conv9 && !passes(convCases(conv9.geometry, 7))) failures.push(`FaceMobileNet ${conv9.name} at 128 px`);
  const description = backend instanceof GpuBackend ? backend.describe() : null;
  const kernelClass = description?.kernelClass ?? 'cpu';
  return { kernelClass, gpuCalls: description?.calls[kernelClass] ?? 0, cases, failures };
}
