/**
 * The playground as a static folder: the page, its script, and the engine worker with the CPU
 * pool's worker beside it. Serve it with COOP/COEP headers (scripts/site-server.ts does) so the
 * engine gets SharedArrayBuffer and threads.
 *
 *   npx tsx site/build.ts [--out site-dist] [--serve PORT]
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleForBrowser } from '../scripts/browser-build.js';
import { serveSite } from '../scripts/site-server.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Writes the playground into `outDir` (emptied first). */
export async function buildSite(outDir: string): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await bundleForBrowser(outDir, {
    playground: join(here, 'playground.ts'),
    'engine-worker': join(here, 'engine-worker.ts'),
  });
  await copyFile(join(here, 'index.html'), join(outDir, 'index.html'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { out: { type: 'string', default: 'site-dist' }, serve: { type: 'string' } },
  });
  const out = values.out as string;
  await buildSite(out);
  console.log(`wrote the playground to ${out}/`);
  if (values.serve !== undefined) {
    const port = Number(values.serve);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new Error(`site/build: --serve expects a port number, got '${values.serve}'`);
    }
    const server = await serveSite(out, port);
    console.log(`playground: ${server.url}/ (cross-origin isolated; Ctrl-C stops)`);
  }
}
