import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

/** Runs an example the way the README says (tsx), returning what it printed. */
function run(example: string, ...args: string[]): string {
  return execFileSync(process.execPath, ['--import', 'tsx', join('examples', example), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

// Example 04 trains for about 15 s of CPU with its printed settings; its test calls main() with short ones.
describe('examples run as commands and print their claims', () => {
  const folder = mkdtempSync(join(tmpdir(), 'arcgrad-examples-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  test('01 prints equal hand and engine gradients', () => {
    const out = run('01-autodiff-by-hand.ts');
    expect(out).toMatch(/largest difference: \d\.\d\de-1[5-7]/);
    const dx = out.match(/dL\/dx {2}by hand (\[.*\])\n\s+by engine (\[.*\])/);
    expect(dx?.[1]).toBe(dx?.[2]);
  });

  test('02 prints differences at float64 rounding or below between the three formulations', () => {
    const out = run('02-convolution.ts');
    // Zero today; a kernel that sums in another order may leave float64 rounding (< 1e-13).
    const tiny = String.raw`(0|[\d.]+e-(1[3-9]|[2-9]\d))`;
    for (const layer of [String.raw`ordinary \[2,6,5,5\]`, String.raw`depthwise \[2,4,9,9\]`]) {
      expect(out).toMatch(
        new RegExp(String.raw`${layer}: max \|loops - im2col x matmul\| ${tiny}, \|loops - conv2d\| ${tiny}\n`),
      );
    }
  });

  test('03 prints the fallback facts and writes the SVG where asked', () => {
    const path = join(folder, 'margins.svg');
    const out = run('03-margin-explorer.ts', path);
    expect(out).toContain('exactly where cos <= cos(pi - m): true');
    expect(out).toMatch(/largest ArcFace slope -\d/);
    expect(readFileSync(path, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\n?$/);
  });

  test('05 names the kernel class that ran, or why the gpu backend cannot start', () => {
    const out = run('05-cpu-vs-gpu.ts');
    expect(out).toMatch(/kernel class that ran: \w+Kernel|gpu backend unavailable here: \S/);
  });
});
