import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import * as arcgrad from '../../src/index.js';

// The README's "Autodiff in 15 lines" block is run as written (its import bound to src/), and every
// `console.log(...); // value` line must print the value its comment promises.
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Autodiff in 15 lines'));
const code = section.slice(section.indexOf('```ts') + 5, section.indexOf('```', section.indexOf('```ts') + 5));

describe('README autodiff example', () => {
  test('prints the values its comments state', () => {
    const body = code.replace(/^import .*$/m, '');
    const names = [...code.matchAll(/import \{([^}]*)\}/g)].flatMap((m) => m[1].split(',').map((s) => s.trim()));
    const printed: string[] = [];
    const log = (value: unknown): void => {
      printed.push(JSON.stringify(value));
    };
    const run = new Function(...names, 'console', body);
    run(...names.map((name) => (arcgrad as Record<string, unknown>)[name]), { log });
    const promised = [...code.matchAll(/console\.log\(.*\);\s*\/\/\s*(.+)$/gm)].map((m) =>
      JSON.stringify(JSON.parse(m[1])),
    );
    expect(promised.length).toBeGreaterThan(0);
    expect(printed).toEqual(promised);
  });
});
