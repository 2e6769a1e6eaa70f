import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SiteServer, serveSite } from '../../scripts/site-server.js';
import { buildSite } from '../../site/build.js';
import { chromiumMissing, launchChromium } from './chromium.js';

/** The playground page, built as `npm run build:site` builds it, driven in Chromium as a user would. */

if (chromiumMissing !== null) console.warn(`playground tests skipped: ${chromiumMissing}`);

/** Settings small enough for a test: 8 people, 4 photos each, batches of 8. */
async function fillSmallRun(page: Page, backend: 'cpu' | 'webgl2' | 'webgpu', epochs: number): Promise<void> {
  await page.selectOption('select[name=backend]', backend);
  for (const [name, value] of Object.entries({
    identities: 8,
    imagesPerIdentity: 4,
    testIdentities: 6,
    batchSize: 8,
  })) {
    await page.fill(`input[name=${name}]`, String(value));
  }
  await page.fill('input[name=epochs]', String(epochs));
}

const text = (page: Page, selector: string) => page.locator(selector).innerText();

describe.skipIf(chromiumMissing !== null)('the playground in Chromium', () => {
  let folder: string;
  let server: SiteServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'arcgrad-site-'));
    await buildSite(folder);
    server = await serveSite(folder);
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${server.url}/index.html`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('trains on the CPU backend in the page, with a loss curve, faces, and a verification report', async () => {
    await fillSmallRun(page, 'cpu', 2);
    await page.click('#start');
    await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), null, {
      timeout: 240_000,
    });
    expect(await text(page, '#status')).toBe('done');
    expect(await text(page, '#kernel-class')).toMatch(/^cpu \(TypeScript kernels, GEMMs on WebAssembly SIMD/);
    expect(await text(page, '#threads')).toMatch(/^\d+ threads on web workers$/);
    // 8 people x 4 photos in batches of 8, two epochs.
    expect(await text(page, '#step')).toBe('8 of 8 (epoch 2)');
    expect(Number(await text(page, '#speed'))).toBeGreaterThan(0);
    expect(await page.locator('#loss-curve svg').count()).toBe(1);
    expect(await page.locator('#roc svg').count()).toBe(1);
    expect(await page.locator('#faces canvas').count()).toBe(1);
    const accuracy = /10-fold accuracy\s*([\d.]+)%/.exec(await text(page, '#report'));
    expect(accuracy).not.toBeNull();
    expect(Number(accuracy?.[1])).toBeGreaterThanOrEqual(0);
    expect(pageErrors).toEqual([]);
  }, 300_000);

  it('stops a run (no further steps arrive) and starts a new one', async () => {
    await fillSmallRun(page, 'cpu', 50);
    await page.click('#start');
    await page.waitForFunction(() => document.querySelector('#step')?.textContent?.startsWith('2 of'), null, {
      timeout: 120_000,
    });
    await page.click('#stop');
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('stopped');
    const stoppedAt = await text(page, '#step');
    await page.waitForTimeout(2000);
    expect(await text(page, '#step')).toBe(stoppedAt);
    expect(await page.locator('#start').isEnabled()).toBe(true);

    await fillSmallRun(page, 'cpu', 1);
    await page.click('#start');
    await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 240_000 });
    expect(await text(page, '#step')).toBe('4 of 4 (epoch 1)');
  }, 300_000);

  it('trains on gpu.js WebGL2 inside the engine worker and names the renderer', async () => {
    await fillSmallRun(page, 'webgl2', 1);
    await page.click('#start');
    await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), null, {
      timeout: 240_000,
    });
    expect(await text(page, '#status')).toBe('done');
    expect(await text(page, '#kernel-class')).toBe('WebGL2Kernel');
    expect(await text(page, '#renderer')).toMatch(/SwiftShader/);
  }, 300_000);

  it('trains on gpu.js WebGPU through the WebGPU worker and names the adapter', async () => {
    await fillSmallRun(page, 'webgpu', 1);
    await page.click('#start');
    await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), null, {
      timeout: 240_000,
    });
    expect(await text(page, '#status')).toBe('done');
    expect(await text(page, '#kernel-class')).toBe('WebGPUKernel');
    expect(await text(page, '#renderer')).toMatch(/^WebGPU google swiftshader/);
  }, 300_000);
});
