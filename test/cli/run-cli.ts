import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { vi } from 'vitest';
import { createProgram } from '../../src/cli/program.js';

const repoRoot = resolve(import.meta.dirname, '../..');

/** Runs the real entry point in a child process: exit code and output as a user sees them. */
export function runMain(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the program in this process, collecting what it prints and the exit code it sets. */
export async function runInProcess(...args: string[]): Promise<{ exitCode: number; lines: string[]; errors: string }> {
  const lines: string[] = [];
  let errors = '';
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    lines.push(parts.join(' '));
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    errors += String(chunk);
    return true;
  });
  try {
    await createProgram().parseAsync(['node', 'arcgrad', ...args]);
  } finally {
    log.mockRestore();
    stderr.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { exitCode, lines, errors };
}
