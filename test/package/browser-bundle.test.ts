import { build, type Message } from 'esbuild';
import { describe, expect, test } from 'vitest';

/**
 * Bundles the browser-safe entry (src/browser.ts) as a web bundler would. What may still fail to
 * resolve: Node modules imported by src/backend (the CPU backend's worker threads, gpu.js loading),
 * reached through the ops' kernel calls; nothing outside src/backend may pull a Node module in.
 */
describe('the browser-safe entry bundles for platform=browser', () => {
  test('no file outside src/backend imports a Node-only module', async () => {
    let errors: Message[] = [];
    try {
      const result = await build({
        entryPoints: ['src/browser.ts'],
        bundle: true,
        platform: 'browser',
        format: 'esm',
        write: false,
        logLevel: 'silent',
      });
      errors = result.errors;
    } catch (error) {
      errors = (error as { errors: Message[] }).errors;
    }
    const outsideBackend = errors.filter((e) => !e.location?.file.startsWith('src/backend/'));
    const unresolved = errors.map((e) => `${e.location?.file}: ${e.text}`);
    console.log(
      unresolved.length === 0
        ? 'browser bundle: no errors'
        : `browser bundle, still unresolved:\n${unresolved.join('\n')}`,
    );
    expect(outsideBackend.map((e) => `${e.location?.file}: ${e.text}`)).toEqual([]);
  });
});
