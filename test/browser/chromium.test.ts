import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser, libraryEntries } from '../../scripts/browser-build.js';
import { type SiteServer, serveSite } from '../../scripts/site-server.js';
import { chromiumMissing, launchChromium } from './chromium.js';
import { type FaceStepsResult, faceSteps } from './face-steps.js';
import type { GpuKernelsResult, gpuKernels } from './gpu-kernels.js';
import type { PageSuiteResult } from './kernel-suite-page.js';

/**
 * arcgrad in a real browser: the esbuild bundle of the browser entry in Debian's Chromium
 * (headless, SwiftShader for WebGL2), compared with the same computation in Node.
 */

if (chromiumMissing !== null) console.warn(`browser tests skipped: ${chromiumMissing}`);

describe.skipIf(chromiumMissing !== null)('arcgrad in Chromium', () => {
  let folder: string;
  let server: SiteServer;
  let browser: Browser;
  let page: Page;
  let inNode: FaceStepsResult;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'arcgrad-browser-'));
    await bundleForBrowser(folder, {
      arcgrad: libraryEntries.arcgrad,
      'face-steps': new URL('./face-steps.ts', import.meta.url).pathname,
      'face-steps-worker': new URL('./face-steps-worker.ts', import.meta.url).pathname,
      'gpu-kernels': new URL('./gpu-kernels.ts', import.meta.url).pathname,
      'kernel-suite-page': new URL('./kernel-suite-page.ts', import.meta.url).pathname,
    });
    // The page loads the bundles itself: page.evaluate cannot import (Vitest rewrites import() in test code).
    await writeFile(
      join(folder, 'index.html'),
      `<!doctype html><title>arcgrad test</title><script type="module">
        import * as arcgrad from './arcgrad.js';
        import { faceSteps } from './face-steps.js';
        import { gpuKernels } from './gpu-kernels.js';
        import { pageKernelSuite } from './kernel-suite-page.js';
        window.loaded = { arcgrad, faceSteps, gpuKernels, pageKernelSuite };
      </script>`,
    );
    server = await serveSite(folder);
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => 'loaded' in window);
    inNode = await faceSteps();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('the bundle loads and a tensor computes and differentiates on the page', async () => {
    const result = await page.evaluate(async () => {
      const { arcgrad } = (window as unknown as { loaded: { arcgrad: typeof import('../../src/browser.js') } }).loaded;
      const x = arcgrad.tensor(
        [
          [1, 2],
          [3, 4],
        ],
        { requiresGrad: true },
      );
      const y = arcgrad.sum(arcgrad.mul(arcgrad.matmul(x, x), x));
      y.backward();
      return { isolated: crossOriginIsolated, value: y.item(), grad: Array.from(x.grad?.data ?? []) };
    });
    expect(result.isolated).toBe(true);
    // (x x) * x summed: [[7, 10], [15, 22]] * x = 7 + 20 + 45 + 88.
    expect(result.value).toBe(160);
    // d/dx sum((x x) * x) = x x + x x^T + x^T x.
    expect(result.grad).toEqual([22, 35, 40, 67]);
  });

  it("on a page's main thread the engine runs single-threaded and says why, with Node's losses", async () => {
    const result: FaceStepsResult = await page.evaluate(async () => {
      const { faceSteps: run } = (window as unknown as { loaded: { faceSteps: typeof faceSteps } }).loaded;
      return run();
    });
    expect(result.threads.host).toBeNull();
    expect(result.threads.problem).toMatch(/main thread/);
    expect(result.kernelClass).toMatch(/1 thread/);
    for (const [step, loss] of result.losses.entries()) expect(loss).toBeCloseTo(inNode.losses[step], 4);
  }, 120_000);

  it('in a dedicated worker of an isolated page the kernels run on Web Workers, with the same losses', async () => {
    const result: FaceStepsResult = await page.evaluate(async () => {
      const worker = new Worker(`${location.origin}/face-steps-worker.js`, { type: 'module' });
      const reply = await new Promise<{ result?: unknown; error?: string }>((resolve) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => resolve({ error: event.message });
        worker.postMessage({});
      });
      worker.terminate();
      if (reply.error !== undefined) throw new Error(reply.error);
      return reply.result as never;
    });
    expect(result.threads.problem).toBeNull();
    expect(result.threads.host).toBe('web workers');
    expect(result.threads.workers).toBeGreaterThanOrEqual(1);
    expect(result.threads.parallelCalls).toBeGreaterThan(0);
    expect(result.threads.workerChunks).toBeGreaterThan(0);
    expect(result.kernelClass).toMatch(/WebAssembly SIMD, 2 thread/);
    for (const [step, loss] of result.losses.entries()) expect(loss).toBeCloseTo(inNode.losses[step], 4);
  }, 120_000);

  it('gpu.js WebGL2 kernels run on the page and match the CPU backend (SwiftShader here)', async () => {
    const result: GpuKernelsResult = await page.evaluate(() => {
      const { gpuKernels: run } = (window as unknown as { loaded: { gpuKernels: typeof gpuKernels } }).loaded;
      return run('webgl2');
    });
    expect(result.fallbackReason).toBeNull();
    expect(result.renderer).toMatch(/SwiftShader.*software renderer/);
    expect(result.kernelClass).toBe('WebGL2Kernel');
    // float32 on the GPU against the CPU's float32 (sums of 96 and 72 products): a few ulps of the largest value.
    expect(result.matmulError).toBeLessThan(1e-5);
    expect(result.conv2dError).toBeLessThan(1e-5);
  }, 120_000);

  it('gpu.js WebGPU kernels run from a worker through the WebGPU worker and match the CPU backend', async () => {
    const result = await page.evaluate(async () => {
      const worker = new Worker(`${location.origin}/face-steps-worker.js`, { type: 'module' });
      const reply = await new Promise<{ result?: unknown; error?: string }>((resolve) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => resolve({ error: event.message });
        worker.postMessage({ run: 'webgpu' });
      });
      worker.terminate();
      if (reply.error !== undefined) throw new Error(reply.error);
      return reply.result as GpuKernelsResult & { millisecondsPerCall: number };
    });
    expect(result.fallbackReason).toBeNull();
    expect(result.kernelClass).toBe('WebGPUKernel');
    expect(result.renderer).toMatch(/^WebGPU google swiftshader/);
    expect(result.matmulError).toBeLessThan(1e-5);
    expect(result.conv2dError).toBeLessThan(1e-5);
    expect(result.millisecondsPerCall).toBeGreaterThan(0);
  }, 120_000);

  /** Runs the kernel suite in a dedicated worker of the page. */
  const suiteInWorker = (mode: 'cpu' | 'webgpu', runs: number): Promise<PageSuiteResult> =>
    page.evaluate(
      async ({ mode, runs }) => {
        const worker = new Worker(`${location.origin}/face-steps-worker.js`, { type: 'module' });
        const reply = await new Promise<{ result?: unknown; error?: string }>((resolve) => {
          worker.onmessage = (event) => resolve(event.data);
          worker.onerror = (event) => resolve({ error: event.message });
          worker.postMessage({ run: 'kernel-suite', mode, runs });
        });
        worker.terminate();
        if (reply.error !== undefined) throw new Error(reply.error);
        return reply.result as PageSuiteResult;
      },
      { mode, runs },
    );

  it('the kernel suite passes in a worker on the CPU backend (Web Workers, WebAssembly SIMD)', async () => {
    const result = await suiteInWorker('cpu', 40);
    expect(result.failures).toEqual([]);
    expect(result.cases).toBeGreaterThan(100);
  }, 300_000);

  it('the kernel suite passes on the page on gpu.js WebGL2, every case on WebGL2Kernel', async () => {
    const result: PageSuiteResult = await page.evaluate(() => {
      const { pageKernelSuite: run } = (
        window as unknown as { loaded: { pageKernelSuite: (mode: string, runs: number) => Promise<PageSuiteResult> } }
      ).loaded;
      return run('webgl2', 15);
    });
    expect(result.failures).toEqual([]);
    expect(result.kernelClass).toBe('WebGL2Kernel');
    expect(result.gpuCalls).toBe(result.cases);
  }, 300_000);

  it('the kernel suite passes on gpu.js WebGPU through the WebGPU worker, every case on WebGPUKernel', async () => {
    const result = await suiteInWorker('webgpu', 15);
    expect(result.failures).toEqual([]);
    expect(result.kernelClass).toBe('WebGPUKernel');
    expect(result.gpuCalls).toBe(result.cases);
  }, 300_000);

  it("on a page's main thread the WebGPU bridge refuses with the reason", async () => {
    const message = await page.evaluate(async () => {
      const { arcgrad } = (window as unknown as { loaded: { arcgrad: typeof import('../../src/browser.js') } }).loaded;
      return arcgrad.startWebGpu().then(
        () => 'started',
        (error: Error) => error.message,
      );
    });
    expect(message).toMatch(/startWebGpu: .*main thread.*dedicated Worker/);
  });

  it('a page that is not cross-origin isolated gets no threads, and the reason names the headers', async () => {
    const plain = await browser.newPage();
    await plain.goto(`${server.url}/not-isolated/index.html`);
    const result = await plain.evaluate(async () => {
      const worker = new Worker(`${location.origin}/not-isolated/face-steps-worker.js`, { type: 'module' });
      const reply = await new Promise<{ result?: FaceStepsResult; error?: string }>((resolve) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.postMessage({ steps: 1 });
      });
      worker.terminate();
      return { isolated: crossOriginIsolated, reply };
    });
    await plain.close();
    expect(result.isolated).toBe(false);
    expect(result.reply.error).toBeUndefined();
    expect(result.reply.result?.threads.problem).toMatch(/cross-origin isolated.*COOP/);
    expect(result.reply.result?.losses[0]).toBeCloseTo(inNode.losses[0], 4);
  }, 120_000);
});
