/**
 * An op-level profiler: `profile(fn)` runs fn and reports where the time went, per op type for
 * forward and backward, and per backend kernel. Its hooks are one call in autograd.ts's `record`
 * and one in registry.ts's `runKernel`; with no profile running each is one null check.
 *
 * How time is attributed: every op ends with `record()`, so an op's forward time is the time since
 * the previous recorded op (or since backward / profile start): code outside ops that runs just
 * before an op is charged to it. Backward times are exact (the gradient closure is timed), and
 * include the kernels it calls. Kernel times are exact and nested inside op times, not additive.
 */

/** Calls and milliseconds of one op type or kernel. */
export interface ProfileEntry {
  count: number;
  milliseconds: number;
}

/** The breakdown of one `profile` call. */
export interface ProfileReport {
  /** Wall time of the whole call. */
  totalMilliseconds: number;
  /** Forward time per op type (see the module comment for how it is attributed). */
  forward: Map<string, ProfileEntry>;
  /** Time in each op type's gradient closure. */
  backward: Map<string, ProfileEntry>;
  /** Time in each backend kernel (nested inside the op times above). */
  kernels: Map<string, ProfileEntry>;
  /** Wall time not inside any op: after the last op of a forward pass, gradient accumulation, optimizer loops. */
  otherMilliseconds: number;
  /** A plain-text table of the breakdown, largest first. */
  format(): string;
}

interface Session {
  forward: Map<string, ProfileEntry>;
  backward: Map<string, ProfileEntry>;
  kernels: Map<string, ProfileEntry>;
  /** When the last attributed interval ended. */
  lastMark: number;
  /** Depth of gradient closures running (records inside them are not forward ops). */
  backwardDepth: number;
}

let session: Session | null = null;

function add(map: Map<string, ProfileEntry>, key: string, milliseconds: number): void {
  const entry = map.get(key);
  if (entry === undefined) map.set(key, { count: 1, milliseconds });
  else {
    entry.count++;
    entry.milliseconds += milliseconds;
  }
}

/**
 * The profiler's hook in `record()`: charges the time since the last mark to forward op `op`, and
 * returns its gradient closure, timed under the op's name while a profile runs (unchanged
 * otherwise, so backward calls the op's own closure).
 */
export function profileOp<G, R>(op: string, backward: (gradOutput: G) => R): (gradOutput: G) => R {
  if (session === null) return backward;
  const current = session;
  if (current.backwardDepth === 0) {
    const now = performance.now();
    add(current.forward, op, now - current.lastMark);
    current.lastMark = now;
  }
  return (gradOutput) => {
    if (session !== current) return backward(gradOutput);
    const started = performance.now();
    current.backwardDepth++;
    try {
      return backward(gradOutput);
    } finally {
      current.backwardDepth--;
      const now = performance.now();
      if (current.backwardDepth === 0) add(current.backward, op, now - started);
      current.lastMark = now;
    }
  };
}

/** Start of a kernel call: a timestamp while profiling, -1 otherwise. */
export function kernelTimerStart(): number {
  return session === null ? -1 : performance.now();
}

/** End of a kernel call started with kernelTimerStart: charges it to `kernel`. */
export function kernelTimerStop(kernel: string, started: number): void {
  if (session === null || started < 0) return;
  add(session.kernels, kernel, performance.now() - started);
}

function sum(map: Map<string, ProfileEntry>): number {
  let total = 0;
  for (const entry of map.values()) total += entry.milliseconds;
  return total;
}

function formatReport(report: ProfileReport): string {
  const lines = [`total ${report.totalMilliseconds.toFixed(1)} ms`];
  const section = (title: string, map: Map<string, ProfileEntry>): void => {
    const total = sum(map);
    lines.push(`${title}: ${total.toFixed(1)} ms`);
    const rows = [...map.entries()].sort((a, b) => b[1].milliseconds - a[1].milliseconds);
    for (const [name, entry] of rows) {
      const share = report.totalMilliseconds > 0 ? (100 * entry.milliseconds) / report.totalMilliseconds : 0;
      lines.push(
        `  ${name.padEnd(44)} ${String(entry.count).padStart(6)} calls ${entry.milliseconds.toFixed(1).padStart(10)} ms ${share.toFixed(1).padStart(5)}%`,
      );
    }
  };
  section('forward ops', report.forward);
  section('backward ops', report.backward);
  lines.push(`other (outside ops): ${report.otherMilliseconds.toFixed(1)} ms`);
  section('kernels (inside the ops above)', report.kernels);
  return lines.join('\n');
}

/**
 * Runs `fn` (synchronous) and reports time per op type for forward and backward and per kernel.
 * Profiles do not nest.
 */
export function profile<T>(fn: () => T): { result: T; report: ProfileReport } {
  if (session !== null) throw new Error('profile: a profile is already running (profiles do not nest)');
  const started = performance.now();
  const current: Session = {
    forward: new Map(),
    backward: new Map(),
    kernels: new Map(),
    lastMark: started,
    backwardDepth: 0,
  };
  session = current;
  let result: T;
  try {
    result = fn();
  } finally {
    session = null;
  }
  const totalMilliseconds = performance.now() - started;
  const report: ProfileReport = {
    totalMilliseconds,
    forward: current.forward,
    backward: current.backward,
    kernels: current.kernels,
    otherMilliseconds: Math.max(0, totalMilliseconds - sum(current.forward) - sum(current.backward)),
    format: () => formatReport(report),
  };
  return { result, report };
}
