import { execFileSync } from 'node:child_process';

/**
 * Makes a FIFO at `path` with mkfifo; returns false (after saying why, since the caller's test
 * then skips its FIFO case) where mkfifo is not available.
 */
export function makeFifo(path: string): boolean {
  try {
    execFileSync('mkfifo', [path]);
    return true;
  } catch (error) {
    console.log(`skipped the FIFO case: mkfifo failed (${(error as Error).message.split('\n')[0]})`);
    return false;
  }
}
