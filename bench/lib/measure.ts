import { Bench } from 'tinybench';

/** Steady-state timing of one workload, with the first call (compilation, packing, allocation) apart. */
export interface Timing {
  /** The first call alone: for gpu.js this includes compiling the shape-specialised kernel. */
  firstMs: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Steady-state samples behind mean/p50/p99 (the first call and the warm-up calls are not among them). */
  samples: number;
  /** Untimed calls between the first call and the samples (JIT warm-up of JavaScript workloads). */
  warmupCalls: number;
  /**
   * Process CPU time (all threads) over wall time while sampling: about the number of cores the
   * workload actually got. On a shared machine a value under the thread count shows contention.
   */
  coresUsed: number;
}

/**
 * How long to sample: at least `minSamples` calls and at least `timeMs` of sampling. minSamples 0
 * means the first call is the only one (for workloads taking minutes); its time then stands for
 * the steady state too, and samples is 1.
 */
export interface SamplingBudget {
  minSamples: number;
  timeMs: number;
  /**
   * Untimed calls after the first: a JavaScript training step keeps getting faster for a few steps
   * while V8 optimises its loops (about 3.0 s, 2.6 s, 2.5 s, then 2.2 s per step on 2 cores), and a
   * training run lives in that steady state. Reported in the results, never hidden.
   */
  warmupCalls?: number;
}

/**
 * Times `run` with tinybench after one separately timed first call. No tinybench warm-up: the
 * first call is the warm-up, and it is reported rather than hidden.
 */
export function measure(run: () => void, budget: SamplingBudget): Timing {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  run();
  const firstMs = performance.now() - started;
  if (budget.minSamples === 0) {
    return {
      firstMs,
      meanMs: firstMs,
      p50Ms: firstMs,
      p99Ms: firstMs,
      samples: 1,
      warmupCalls: 0,
      coresUsed: coresSince(cpuBefore, started),
    };
  }
  const warmupCalls = budget.warmupCalls ?? 0;
  for (let call = 0; call < warmupCalls; call++) run();
  const sampling = performance.now();
  const cpuSampling = process.cpuUsage();
  const bench = new Bench({ time: budget.timeMs, iterations: budget.minSamples, warmup: false, throws: true });
  bench.add('workload', run);
  const [task] = bench.runSync();
  const result = task?.result;
  if (!result || !('latency' in result)) throw new Error('measure: tinybench returned no statistics');
  const { latency } = result;
  return {
    firstMs,
    meanMs: latency.mean,
    p50Ms: latency.p50,
    p99Ms: latency.p99,
    samples: latency.samplesCount,
    warmupCalls,
    coresUsed: coresSince(cpuSampling, sampling),
  };
}

/** CPU seconds used by this process (all threads) per wall second since the given readings. */
function coresSince(cpu: NodeJS.CpuUsage, wallStart: number): number {
  const used = process.cpuUsage(cpu);
  const wallMs = performance.now() - wallStart;
  return wallMs > 0 ? Math.round(((used.user + used.system) / 1000 / wallMs) * 100) / 100 : 0;
}

/** Largest absolute difference between two arrays of equal length (Infinity when lengths differ or a value is NaN). */
export function maxAbsDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const difference = Math.abs(actual[i] - expected[i]);
    if (!(difference <= worst)) worst = Number.isNaN(difference) ? Number.POSITIVE_INFINITY : difference;
  }
  return worst;
}

/** Largest absolute value in an array (the scale an absolute error is read against). */
export function maxAbs(values: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]));
  return largest;
}
