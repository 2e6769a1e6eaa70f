import { InvalidArgumentError } from 'commander';

/** A commander parser for an integer flag within [min, max]. */
export function integerIn(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer in [${min}, ${max}], got '${value}'.`);
    }
    return n;
  };
}

/** A commander parser for a finite number flag within [min, max]. */
export function numberIn(min: number, max = Number.POSITIVE_INFINITY): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected ${describeRange(min, max)}, got '${value}'.`);
    }
    return n;
  };
}

function describeRange(min: number, max: number): string {
  const lower = min === Number.MIN_VALUE ? 'a number > 0' : `a number >= ${min}`;
  return max === Number.POSITIVE_INFINITY ? lower : `${lower} and <= ${max}`;
}

/** Formats seconds as `1m 05s` or `12.3 s`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m ${String(Math.round(seconds - minutes * 60)).padStart(2, '0')}s`;
}

/**
 * Runs a command's action, turning a thrown error into one line on stderr (`arcgrad <command>:
 * error: ...`) and exit code 1, instead of a stack trace.
 */
export function runAction<A extends unknown[]>(
  command: string,
  action: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await action(...args);
    } catch (error) {
      process.stderr.write(`arcgrad ${command}: error: ${(error as Error).message}\n`);
      process.exitCode = 1;
    }
  };
}
