import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

// Registered when a test file first imports this module (Vitest isolates modules per file), so
// every folder a file made is removed when that file's tests are done.
const created: string[] = [];
afterAll(() => {
  for (const folder of created.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A fresh folder under the OS temp directory, removed after the test file finishes. */
export function tempDir(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), `arcgrad-${prefix}-`));
  created.push(folder);
  return folder;
}
