/**
 * arcgrad in headless Chromium, measured: the bundles' sizes (gzip), time to the first training
 * step and training images/s in the playground on each backend, and the playground's kernel
 * benchmarks (tinybench in the page: the CPU backend, gpu.js WebGL2, gpu.js WebGPU through the
 * WebGPU worker). Headless Chromium renders WebGL2 and WebGPU with SwiftShader, which runs on the
 * CPU: these numbers say what the browser path costs, not what a GPU can do.
 *
 *   npx tsx bench/browser.ts [--chromium /usr/bin/chromium] [--epochs 2]
 *
 * Writes bench/results/browser-<date>.json and prints a Markdown summary.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { serveSite } from '../scripts/site-server.js';
import { buildSite } from '../site/build.js';
import type { KernelTiming } from '../site/kernel-bench.js';

const { values } = parseArgs({
  options: { chromium: { type: 'string', default: '/usr/bin/chromium' }, epochs: { type: 'string', default: '2' } },
});
const folder = await mkdtemp(join(tmpdir(), 'arcgrad-browser-bench-'));
await buildSite(folder);
const bundles: Record<string, { bytes: number; gzipBytes: number }> = {};
for (const name of ['playground.js', 'engine-worker.js', 'worker.js', 'webgpu-worker.js']) {
  const bytes = await readFile(join(folder, name));
  bundles[name] = { bytes: bytes.length, gzipBytes: gzipSync(bytes).length };
}
const server = await serveSite(folder);
const browser = await chromium.launch({
  executablePath: values.chromium,
  args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--enable-unsafe-webgpu'],
});
const page = await browser.newPage();
await page.goto(`${server.url}/index.html`);
const userAgent = await page.evaluate(() => navigator.userAgent);

/** One default-sized training run on `backend`: time to the first step, images/s, accuracy. */
async function trainingRun(backend: string) {
  await page.selectOption('select[name=backend]', backend);
  await page.fill('input[name=epochs]', values.epochs as string);
  const started = Date.now();
  await page.click('#start');
  await page.waitForFunction(() => document.querySelector('#step')?.textContent !== '-', null, { timeout: 600_000 });
  const firstStepSeconds = (Date.now() - started) / 1000;
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), null, {
    timeout: 1_800_000,
  });
  const read = (selector: string) =>
    page
      .locator(selector)
      .textContent()
      .then((value) => value ?? '');
  return {
    backend,
    kernelClass: await read('#kernel-class'),
    renderer: await read('#renderer'),
    threads: await read('#threads'),
    status: await read('#status'),
    steps: await read('#step'),
    firstStepSeconds,
    imagesPerSecond: Number(await read('#speed')),
    report: await read('#report'),
  };
}

const training = [];
for (const backend of ['cpu', 'webgl2', 'webgpu']) {
  training.push(await trainingRun(backend));
  console.error(`trained on ${backend}`);
}

const rows: KernelTiming[] = await page.evaluate(
  () =>
    new Promise<KernelTiming[]>((resolve, reject) => {
      const found: KernelTiming[] = [];
      const worker = new Worker(new URL('./engine-worker.js', location.href), { type: 'module' });
      worker.onmessage = (event) => {
        if (event.data.type === 'bench-row') found.push(event.data.row);
        else if (event.data.type === 'bench-done') resolve(found);
        else if (event.data.type === 'error') reject(new Error(event.data.text));
      };
      worker.postMessage({ type: 'bench' });
    }),
);
await browser.close();
await server.close();
await rm(folder, { recursive: true, force: true });

const date = new Date().toISOString().slice(0, 10);
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores`;
const result = { date, machine, userAgent, bundles, training, kernels: rows };
const out = `bench/results/browser-${date}.json`;
await writeFile(out, `${JSON.stringify(result, null, 1)}\n`);

const lines = [
  `Headless Chromium (${userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? userAgent}) on ${machine}, ${date}; results in ${out}.`,
  '',
  '| bundle | bytes | gzip |',
  '|---|---:|---:|',
  ...Object.entries(bundles).map(([name, size]) => `| ${name} | ${size.bytes} | ${size.gzipBytes} |`),
  '',
  `| backend (kernel class, renderer) | first step (s) | images/s | ${training[0]?.steps ?? ''} |`,
  '|---|---:|---:|---|',
  ...training.map(
    (run) =>
      `| ${run.backend}: ${run.kernelClass}${run.renderer !== '-' ? `, ${run.renderer}` : ''} | ${run.firstStepSeconds.toFixed(1)} | ${run.imagesPerSecond.toFixed(1)} | ${run.report.match(/10-fold accuracy([\d.]+%)/)?.[1] ?? run.status} |`,
  ),
  '',
  '| kernel problem | cpu GFLOP/s (ms) | webgl2 GFLOP/s (ms) | webgpu GFLOP/s (ms) |',
  '|---|---:|---:|---:|',
  ...[...new Set(rows.map((row) => row.problem))].map((problem) => {
    const cell = (backend: string) => {
      const row = rows.find((r) => r.problem === problem && r.backend === backend);
      return row && row.meanMs > 0 ? `${row.gflops.toFixed(2)} (${row.meanMs.toPrecision(3)})` : 'n/a';
    };
    return `| ${problem} | ${cell('cpu')} | ${cell('webgl2')} | ${cell('webgpu')} |`;
  }),
  '',
  ...[...new Map(rows.map((row) => [row.backend, row.kernelClass]))].map(
    ([backend, kernelClass]) => `- ${backend}: ${kernelClass}`,
  ),
];
console.log(lines.join('\n'));
