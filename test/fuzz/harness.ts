import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { freshStorage, setAllocator } from '../../src/tensor/dtype.js';

/**
 * One thing arcgrad reads from outside (a file format, a config): the inputs to try and how a
 * clear refusal reads. The promise every target keeps: a hostile input is accepted or refused
 * with an arcgrad error that names what failed, never a foreign error, a hang or a huge allocation.
 */
export interface FuzzTarget<Input> {
  name: string;
  /** Mutants of valid inputs: most are broken, some in ways that still parse. */
  inputs: fc.Arbitrary<Input>;
  /** Feeds one input to the library, as the CLI would; returns when the input is accepted. */
  run(input: Input): void;
  /** How every refusal's message starts (the op, or the file it names). */
  refusal: RegExp;
}

/** Thrown by a target's `run` when the library accepted an input but returned something it must not. */
export class WronglyAccepted extends Error {}

/** What one case may cost before it counts as a hang or a runaway allocation. */
export interface FuzzBounds {
  maxMilliseconds: number;
  maxBytes: number;
}

/** Bounds for the properties in `npm test`: loose enough for a busy machine, far below a hang or a bomb. */
export const testBounds: FuzzBounds = { maxMilliseconds: 5000, maxBytes: 256 * 2 ** 20 };

/** How the library answered one case. */
export type Verdict = 'accepted' | 'refused';

// A minor collection before each case frees the previous cases' young garbage, which would
// otherwise be collected during this case and offset its growth. The flag exposes `gc` to
// contexts created after it is set, so the harness needs no special node flags.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;

/** Bytes of tensor storage allocated since the last reset (counted at the allocator hook). */
let tensorBytes = 0;

function countingAllocator(dtype: Parameters<typeof freshStorage>[0], size: number): ReturnType<typeof freshStorage> {
  tensorBytes += size * (dtype === 'float64' ? 8 : 4);
  return freshStorage(dtype, size);
}

/**
 * Runs one case and returns the verdict; throws, saying which promise broke, when the error is
 * foreign or unclear, the case ran past `maxMilliseconds`, or it allocated past `maxBytes`.
 * Allocation is the largest of three measures: the tensor storage asked of the allocator; the
 * growth of the heap and of array buffers (decoders allocate Buffers, parsers objects), which a
 * garbage collection inside the case can hide; and, when the case raised the process's peak
 * resident memory, that peak above where the case started (which catches what was freed again).
 */
export function checkCase<Input>(target: FuzzTarget<Input>, input: Input, bounds: FuzzBounds): Verdict {
  collectGarbage({ type: 'minor' });
  const before = process.memoryUsage();
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  tensorBytes = 0;
  setAllocator(countingAllocator);
  const start = performance.now();
  let verdict: Verdict = 'accepted';
  try {
    target.run(input);
  } catch (error) {
    if (error instanceof WronglyAccepted) throw new Error(`${target.name}: accepted, but ${error.message}`);
    // Subclasses (TypeError, RangeError, SyntaxError) are what JavaScript throws by itself.
    if (!(error instanceof Error) || error.constructor !== Error) {
      throw new Error(`${target.name}: a foreign error escaped: ${describe(error)}`);
    }
    if (!target.refusal.test(error.message)) {
      throw new Error(`${target.name}: the error does not start like ${target.refusal}: ${error.message}`);
    }
    verdict = 'refused';
  } finally {
    setAllocator(freshStorage);
  }
  const milliseconds = performance.now() - start;
  const after = process.memoryUsage();
  const grown = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
  const peakAfter = process.resourceUsage().maxRSS * 1024;
  const peakGrown = peakAfter > peakBefore ? peakAfter - before.rss : 0;
  const bytes = Math.max(tensorBytes, grown, peakGrown);
  if (milliseconds > bounds.maxMilliseconds) {
    throw new Error(`${target.name}: one case took ${milliseconds.toFixed(0)} ms (bound ${bounds.maxMilliseconds} ms)`);
  }
  if (bytes > bounds.maxBytes) {
    throw new Error(`${target.name}: one case allocated ${bytes.toExponential(2)} bytes (bound ${bounds.maxBytes})`);
  }
  return verdict;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message}` : `a thrown ${typeof error}`;
}

/** The fast-check property of a target: every input keeps the promise; `onVerdict` counts answers. */
export function fuzzProperty<Input>(
  target: FuzzTarget<Input>,
  bounds: FuzzBounds,
  onVerdict: (verdict: Verdict, input: Input) => void = () => undefined,
): fc.IProperty<[Input]> {
  return fc.property(target.inputs, (input) => {
    onVerdict(checkCase(target, input, bounds), input);
  });
}
