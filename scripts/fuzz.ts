/**
 * Fuzzes what arcgrad reads from outside (safetensors files, PNG/JPEG/PGM images, checkpoint
 * metadata, training configs) with many more cases than `npm test` runs. Every case must be
 * accepted or refused with an arcgrad error naming what failed, within the time and allocation
 * bounds of test/fuzz/harness.ts.
 *
 * Each target runs in its own child process that reports every case before running it, so a case
 * that never returns (a hang) or kills the process (an allocation V8 cannot survive) is named by
 * its target, seed and index instead of stopping the run silently.
 *
 *   npm run fuzz -- --cases 10000                 every target, 10,000 cases each
 *   npm run fuzz -- --target image --seed 7       one target, a chosen seed
 *   npm run fuzz -- --target image --seed 7 --replay 123   print case 123 of that run, without running it
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { checkCase, type FuzzBounds } from '../test/fuzz/harness.js';
import { fuzzTargets } from '../test/fuzz/targets.js';

/** Per-case bounds of the long run: a slow case is a failure; one past `hangSeconds` is killed. */
const bounds: FuzzBounds = { maxMilliseconds: 5000, maxBytes: 256 * 2 ** 20 };

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '2000' },
    target: { type: 'string' },
    seed: { type: 'string' },
    replay: { type: 'string' },
    'hang-seconds': { type: 'string', default: '30' },
    child: { type: 'boolean', default: false },
  },
});

/** What a child tells its parent. */
type Report =
  | { kind: 'case'; index: number }
  | { kind: 'done'; accepted: number; refused: number; failure: string | null; maxRssMiB: number };

/** A bad flag is a one-line message and exit code 1, as in the CLI. */
function usage(message: string): never {
  console.error(`fuzz: ${message}`);
  process.exit(1);
}

function nonNegativeInteger(flag: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) usage(`--${flag} must be a non-negative integer, got ${text}`);
  return value;
}

const cases = nonNegativeInteger('cases', values.cases);
const targets = await fuzzTargets();
const names = targets.map((t) => t.name);
if (values.target !== undefined && !names.includes(values.target)) {
  usage(`--target must be one of ${names.join(', ')}, got ${values.target}`);
}

if (values.child) {
  // One target, cases reported one by one to the parent.
  const target = targets.find((t) => t.name === values.target)!;
  const seed = nonNegativeInteger('seed', values.seed);
  const counts = { accepted: 0, refused: 0 };
  let index = 0;
  const property = fc.property(target.inputs, (input) => {
    process.send!({ kind: 'case', index: index++ } satisfies Report);
    counts[checkCase(target, input, bounds)]++;
  });
  const details = fc.check(property, { numRuns: cases, seed });
  const failure = details.failed
    ? `${(details.errorInstance as Error)?.message}\n  shrunk input: ${fc.stringify(details.counterexample).slice(0, 2000)}`
    : null;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.send!({ kind: 'done', ...counts, failure, maxRssMiB } satisfies Report, () => process.exit(0));
} else if (values.replay !== undefined) {
  // Generation depends on the fuzz seed alone, so the case at an index is found without running any.
  const target = targets.find((t) => t.name === values.target);
  if (target === undefined || values.seed === undefined) usage('--replay needs --target and --seed');
  const wanted = nonNegativeInteger('replay', values.replay);
  let index = 0;
  fc.check(
    fc.property(target.inputs, (input) => {
      if (index++ === wanted) console.log(fc.stringify(input));
    }),
    { numRuns: wanted + 1, seed: nonNegativeInteger('seed', values.seed) },
  );
} else {
  const hangMs = nonNegativeInteger('hang-seconds', values['hang-seconds']) * 1000;
  const seed = values.seed === undefined ? Date.now() % 2 ** 31 : nonNegativeInteger('seed', values.seed);
  let failed = false;
  for (const name of values.target === undefined ? names : [values.target]) {
    const outcome = await runChild(name, seed, hangMs);
    failed ||= outcome !== null;
  }
  process.exitCode = failed ? 1 : 0;
}

/** Runs one target in a child; prints its summary and returns the failure, or null. */
function runChild(name: string, seed: number, hangMs: number): Promise<string | null> {
  const start = performance.now();
  const child = fork(
    fileURLToPath(import.meta.url),
    ['--child', '--target', name, '--cases', String(cases), '--seed', String(seed)],
    {
      execArgv: ['--import', 'tsx'],
    },
  );
  let lastCase = -1;
  let lastReport = Date.now();
  let done: Extract<Report, { kind: 'done' }> | null = null;
  child.on('message', (report: Report) => {
    lastReport = Date.now();
    if (report.kind === 'case') lastCase = report.index;
    else done = report;
  });
  let hung = false;
  const watchdog = setInterval(() => {
    if (Date.now() - lastReport > hangMs) {
      hung = true;
      child.kill('SIGKILL');
    }
  }, 250);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      clearInterval(watchdog);
      const seconds = ((performance.now() - start) / 1000).toFixed(1);
      const replay = `replay: npm run fuzz -- --target ${name} --seed ${seed} --replay ${lastCase}`;
      let failure: string | null;
      if (hung) failure = `case ${lastCase} ran past ${hangMs / 1000} s (${replay})`;
      else if (done === null)
        failure = `the process died (${signal ?? `exit code ${code}`}) in case ${lastCase} (${replay})`;
      else failure = done.failure;
      const counted =
        done === null
          ? `${lastCase + 1} cases`
          : `${done.accepted + done.refused} cases: ${done.refused} refused with a clear error, ${done.accepted} accepted`;
      const rss = done === null ? '' : `, peak RSS ${done.maxRssMiB.toFixed(0)} MiB`;
      console.log(
        `${name}: ${counted}, ${failure === null ? 'no failures' : 'FAILED'} (seed ${seed}, ${seconds} s${rss})`,
      );
      if (failure !== null) console.log(`  ${failure}`);
      resolve(failure);
    });
  });
}
