import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { createProgram } from '../../src/cli/program.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  version: string;
  license: string;
  repository: { type: string; url: string };
  homepage: string;
  bugs: { url: string };
  files: string[];
  exports: Record<string, unknown>;
};

describe('the package manifest is what a user installs', () => {
  test('Node (import and require, 20.19+) gets the full entry; bundlers for the browser the Node-free one', () => {
    const main = manifest.exports['.'] as Record<string, { default: string } | string>;
    // Node picks the first matching condition, so 'browser' must come before 'node' and 'default' last.
    expect(Object.keys(main)).toEqual(['browser', 'node', 'types', 'default']);
    expect(main.node).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(main.browser).toEqual({ types: './dist/browser.d.ts', default: './dist/browser.js' });
    expect(main.default).toBe('./dist/browser.js');
    expect(manifest.exports['./node']).toEqual({ types: './dist/node.d.ts', default: './dist/node.js' });
  });

  test('the license file matches the license field and ships in the tarball', () => {
    expect(manifest.license).toBe('MIT');
    expect(readFileSync(`${root}LICENSE`, 'utf8')).toMatch(/^MIT License/);
    expect(manifest.files).toContain('LICENSE');
  });

  test('repository, homepage and bugs point at one GitHub repository (npm shows them as links)', () => {
    const repository = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    expect(repository).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    expect(manifest.homepage).toBe(`${repository}#readme`);
    expect(manifest.bugs.url).toBe(`${repository}/issues`);
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
