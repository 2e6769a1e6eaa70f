import { maxAbs, maxAbsDifference, measure, type SamplingBudget, type Timing } from './measure.js';
import type { Engine, KernelRow } from './results.js';
import { flopsOf, type KernelCase, shapeOf } from './workloads.js';

/**
 * Runs every kernel case on every contender (arcgrad backends and in-process peers), with the
 * arcgrad CPU backend first: its output is the reference each other row's error is measured
 * against, and its time is the denominator of each speed-up.
 */

/** The inputs of one case, in arcgrad's layouts (row-major matrices; NCHW and OIHW for convs). */
export interface CaseInputs {
  /** matmul: A and B; conv forward: input and weight; gradInput: gradOutput and weight; gradWeight: input and gradOutput. */
  first: Float32Array;
  second: Float32Array;
  /** Length of the output. */
  outputLength: number;
}

/** A prepared case: run it, then read its output in arcgrad's layout. */
export interface PreparedKernel {
  run(): void;
  output(): ArrayLike<number>;
  /** What ran (gpu.js kernel class, peer kernel), read after the timed calls. */
  kernelClass(): string;
  release?(): void;
}

/** A backend that can run kernel cases. */
export interface KernelContender {
  engine: Engine;
  backend: string;
  /** Sampled with the small budget and subject to the per-row and per-backend time caps. */
  slow: boolean;
  /** Prepares a case, or says why this contender cannot run it. */
  prepare(problem: KernelCase, inputs: CaseInputs): PreparedKernel | { skip: string };
}

/** Sampling budgets and caps of a kernel run. */
export interface KernelSuiteOptions {
  fastBudget: SamplingBudget;
  slowBudget: SamplingBudget;
  /** A slow contender skips a row whose estimated first call plus samples exceeds this. */
  slowRowCapMs: number;
  /** A slow contender skips its remaining rows after spending this much time in total. */
  slowBackendBudgetMs: number;
  /** Called after each row (progress output). */
  onRow?(row: KernelRow): void;
}

/** Deterministic values in [-1, 1) from a 32-bit LCG, so every run and peer sees the same inputs. */
export function seededValues(length: number, seed: number): Float32Array {
  const values = new Float32Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = state / 2147483648 - 1;
  }
  return values;
}

/** Sizes of a case's two inputs and its output. */
export function caseSizes(problem: KernelCase): [number, number, number] {
  if (problem.kind === 'matmul') return [problem.m * problem.k, problem.k * problem.n, problem.m * problem.n];
  const g = problem.geometry;
  const input = g.batch * g.inChannels * g.inHeight * g.inWidth;
  const weight = g.outChannels * (g.inChannels / g.groups) * g.kernelHeight * g.kernelWidth;
  const output = g.batch * g.outChannels * g.outHeight * g.outWidth;
  if (problem.pass === 'forward') return [input, weight, output];
  if (problem.pass === 'gradInput') return [output, weight, input];
  return [input, output, weight];
}

/** The kernel name shown in tables: 'matmul' or 'conv2d.forward' / '.gradInput' / '.gradWeight'. */
export function kernelName(problem: KernelCase): string {
  return problem.kind === 'matmul' ? 'matmul' : `conv2d.${problem.pass}`;
}

function emptyRow(
  problem: KernelCase,
  contender: KernelContender,
  status: 'skipped' | 'failed',
  note: string,
): KernelRow {
  return {
    kernel: kernelName(problem),
    caseId: problem.id,
    label: problem.label,
    shape: shapeOf(problem),
    engine: contender.engine,
    backend: contender.backend,
    kernelClass: '-',
    status,
    note,
    timing: null,
    gflops: null,
    speedupOverCpu: null,
    maxAbsError: null,
    referenceMaxAbs: null,
  };
}

/** Runs the cases on the contenders; the first contender must be arcgrad's CPU backend. */
export function runKernelSuite(
  cases: readonly KernelCase[],
  contenders: readonly KernelContender[],
  options: KernelSuiteOptions,
): KernelRow[] {
  const rows: KernelRow[] = [];
  const spentMs = new Map<string, number>();
  // Measured GFLOP/s per contender and kernel, to predict whether the next (larger) row fits the cap.
  const rates = new Map<string, number>();
  for (const problem of cases) {
    const [firstLength, secondLength, outputLength] = caseSizes(problem);
    const inputs: CaseInputs = {
      first: seededValues(firstLength, 17 + firstLength),
      second: seededValues(secondLength, 29 + secondLength),
      outputLength,
    };
    const flops = flopsOf(problem);
    let reference: ArrayLike<number> | null = null;
    let referenceMaxAbs: number | null = null;
    let cpuMeanMs: number | null = null;
    for (const contender of contenders) {
      const rateKey = `${contender.backend}|${kernelName(problem)}`;
      let row: KernelRow;
      let output: ArrayLike<number> | null = null;
      const budget = contender.slow ? options.slowBudget : options.fastBudget;
      const spent = spentMs.get(contender.backend) ?? 0;
      const rate = rates.get(rateKey);
      const estimatedMs = rate === undefined ? 0 : (flops / rate / 1e6) * (budget.minSamples + 1);
      if (contender.slow && spent > options.slowBackendBudgetMs) {
        row = emptyRow(
          problem,
          contender,
          'skipped',
          `backend time budget of ${options.slowBackendBudgetMs / 1000} s spent`,
        );
      } else if (contender.slow && estimatedMs > options.slowRowCapMs) {
        row = emptyRow(
          problem,
          contender,
          'skipped',
          `estimated ${(estimatedMs / 1000).toFixed(0)} s at ${rate?.toFixed(2)} GFLOP/s, over the ${options.slowRowCapMs / 1000} s row cap`,
        );
      } else {
        const started = performance.now();
        ({ row, output } = runOne(problem, contender, inputs, budget, flops));
        spentMs.set(contender.backend, spent + performance.now() - started);
        if (row.gflops !== null) rates.set(rateKey, row.gflops);
      }
      if (row.status === 'ok' && row.timing) {
        if (contender === contenders[0]) {
          cpuMeanMs = row.timing.meanMs;
          reference = output;
          referenceMaxAbs = reference ? maxAbs(reference) : null;
        }
        if (cpuMeanMs !== null) row.speedupOverCpu = cpuMeanMs / row.timing.meanMs;
        if (reference && output) {
          row.maxAbsError = maxAbsDifference(output, reference);
          row.referenceMaxAbs = referenceMaxAbs;
        }
      }
      rows.push(row);
      options.onRow?.(row);
    }
  }
  return rows;
}

function runOne(
  problem: KernelCase,
  contender: KernelContender,
  inputs: CaseInputs,
  budget: SamplingBudget,
  flops: number,
): { row: KernelRow; output: ArrayLike<number> | null } {
  let prepared: PreparedKernel | { skip: string };
  try {
    prepared = contender.prepare(problem, inputs);
  } catch (error) {
    return { row: emptyRow(problem, contender, 'failed', firstLine(error)), output: null };
  }
  if ('skip' in prepared) return { row: emptyRow(problem, contender, 'skipped', prepared.skip), output: null };
  try {
    const timing: Timing = measure(() => prepared.run(), budget);
    const row: KernelRow = {
      ...emptyRow(problem, contender, 'skipped', ''),
      status: 'ok',
      note: null,
      kernelClass: prepared.kernelClass(),
      timing,
      gflops: flops / timing.meanMs / 1e6,
    };
    return { row, output: prepared.output() };
  } catch (error) {
    return { row: emptyRow(problem, contender, 'failed', firstLine(error)), output: null };
  } finally {
    prepared.release?.();
  }
}

/** The first line of an error's message (gpu.js and WASM errors can be pages long). */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '').slice(0, 300);
}
