import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { createProgram } from '../../src/cli/program.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  version: string;
  license: string;
  files: string[];
  exports: Record<string, Record<string, string> | string>;
};

describe('the package manifest is what a user installs', () => {
  test('require() reaches the ESM build through a default export condition (Node 20.19+ can require ESM)', () => {
    const main = manifest.exports['.'] as Record<string, string>;
    expect(main.default).toBe(main.import);
    expect(Object.keys(main).at(-1)).toBe('default'); // Node picks the first matching condition
  });

  test('the license file matches the license field and ships in the tarball', () => {
    expect(manifest.license).toBe('MIT');
    expect(readFileSync(`${root}LICENSE`, 'utf8')).toMatch(/^MIT License/);
    expect(manifest.files).toContain('LICENSE');
  });

  test('arcgrad --version prints the version from package.json', () => {
    expect(createProgram().version()).toBe(manifest.version);
  });

  test('declaration maps are built, so "go to definition" lands in src', () => {
    const build = JSON.parse(readFileSync(`${root}tsconfig.build.json`, 'utf8')) as {
      compilerOptions: { declarationMap?: boolean };
    };
    expect(build.compilerOptions.declarationMap).toBe(true);
  });
});
