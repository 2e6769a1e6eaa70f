import { describe, expect, test } from 'vitest';
import { countCodeLines, countCoreLines, formatCoreTable } from '../../scripts/count-core-lines.js';

/**
 * Size budget of the engine core (src/tensor, src/ops, src/backend/cpu): lines of code, without
 * blank and comment lines. Measured 4,065 on 2026-11-28 while ops were still being added; the
 * budget leaves ~23% headroom. Why 5,000: at about 20 lines a minute, that is a four-hour evening,
 * the promise the style guide makes ("reads the whole engine core in an evening"). The core holds
 * more than micrograd's 94 or early tinygrad's ~600 lines: ~50 ops with their gradients, plain
 * reference kernels (src/backend/cpu/reference) and the fast CPU kernels (packed GEMM, worker
 * threads). If this fails, first move code that is not engine out of the core, then raise the
 * budget here and in the README with the reason.
 */
const budget = 5_000;

describe('core size budget', () => {
  test(`the engine core stays within ${budget} lines of code`, () => {
    const count = countCoreLines();
    console.log(formatCoreTable(count));
    expect(count.total).toBeGreaterThan(1_000); // the counter found the core
    expect(count.total).toBeLessThanOrEqual(budget);
  });

  test('comment-only and blank lines do not count; code with a trailing comment does', () => {
    const source = [
      '/**',
      ' * Doc comment.',
      ' */',
      'const a = 1; // trailing',
      '',
      '   // indented comment',
      '/* one-line block */',
      '/* block */ const b = 2;',
      'const c = 3; /* opens',
      '   still comment */',
      "const url = 'http://x/*';",
      "const glob = 'src/**/*.ts'; // and a comment",
    ].join('\n');
    expect(countCodeLines(source)).toBe(5);
  });
});
