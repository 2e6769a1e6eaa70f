/**
 * Builds arcgrad for the browser with esbuild: the library (src/browser.ts) as one ES module, and
 * beside it worker.js, the CPU thread pool's Web Worker program, and webgpu-worker.js, the worker
 * that owns the WebGPU device (with gpu.js bundled in); both are found next to the module that
 * loaded them (new URL('./worker.js', import.meta.url)).
 *
 *   npx tsx scripts/browser-build.ts [--out dist-browser]   the library: arcgrad.js + the two workers
 *
 * Other bundles (the playground, the browser tests) pass their own entry points to bundleForBrowser;
 * each bundle carries its own copy of the engine, so the worker.js beside it must come from the same
 * build.
 */
import { rm } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The library's browser entry and the pool's worker program, by output name. */
export const libraryEntries: Readonly<Record<string, string>> = {
  arcgrad: `${root}src/browser.ts`,
  worker: `${root}src/backend/cpu/threads/worker.ts`,
  'webgpu-worker': `${root}src/backend/gpu/webgpu-worker.ts`,
};

/** Bundles `entries` (output name -> source file) plus worker.js into `outDir` as ES modules. */
export async function bundleForBrowser(outDir: string, entries: Readonly<Record<string, string>> = {}): Promise<void> {
  await build({
    entryPoints: { worker: libraryEntries.worker, 'webgpu-worker': libraryEntries['webgpu-worker'], ...entries },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    // A node: import reachable from an entry is an unresolved module, so a build error, not a stub.
    logLevel: 'warning',
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'dist-browser' } } });
  const out = values.out as string;
  await rm(out, { recursive: true, force: true });
  await bundleForBrowser(out, { arcgrad: libraryEntries.arcgrad });
  console.log(`wrote ${out}/arcgrad.js, ${out}/worker.js and ${out}/webgpu-worker.js`);
}
