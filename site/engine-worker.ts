import * as gpujs from 'gpu.js';
import {
  ArcFace,
  BatchLoader,
  BufferPool,
  backendInfo,
  type EmbeddingFunction,
  FaceMobileNet,
  focalLoss,
  type GpuJsModule,
  lineChartSvg,
  manualSeed,
  noGrad,
  rocCurveSvg,
  SGD,
  StepLR,
  SyntheticFaces,
  setBackend,
  startCpuThreads,
  startWebGpu,
  trainTransform,
  useGpuJs,
  verifyIdentities,
} from '../src/browser.js';
import type { FromEngine, PlaygroundSettings, ToEngine } from './messages.js';

/**
 * The playground's engine: a dedicated worker, because the CPU pool blocks in Atomics.wait, which a
 * page's main thread may not do. It trains the reference recipe (FaceMobileNet, ArcFace, focal
 * loss, SGD with step decay) on synthetic faces, then verifies on people it never saw. The page
 * stops a run by terminating this worker and restarts it with a new one.
 */

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<ToEngine>) => void) | null;
  postMessage(message: FromEngine): void;
};
const post = (message: FromEngine) => scope.postMessage(message);
/** Held-out identities start far from the training ones, so they are other people. */
const heldOutFirstIdentity = 1_000_000;

function lossCurve(losses: readonly number[]): string {
  return lineChartSvg({
    title: 'Training loss per step',
    xLabel: 'step',
    yLabel: 'focal loss',
    series: [{ name: 'loss', x: losses.map((_, i) => i + 1), y: losses, color: '#1f77b4' }],
    width: 560,
    height: 300,
  });
}

async function run(settings: PlaygroundSettings): Promise<void> {
  if (settings.backend === 'webgl2') {
    useGpuJs(gpujs as unknown as GpuJsModule);
    setBackend('gpu', { mode: 'webgl2' });
  } else if (settings.backend === 'webgpu') {
    await startWebGpu();
    setBackend('gpu', { mode: 'webgpu' });
  } else {
    setBackend('cpu');
  }
  const pool = await startCpuThreads();
  const info = backendInfo();
  post({
    type: 'ready',
    kernelClass: info.kernelClass,
    renderer: info.renderer,
    threads: pool.problem === null ? `${pool.threads} threads on ${pool.host}` : `1 thread: ${pool.problem}`,
  });

  const { side, seed, variation } = settings;
  const trainFaces = new SyntheticFaces({
    identities: settings.identities,
    imagesPerIdentity: settings.imagesPerIdentity,
    side,
    seed,
    variation,
  });
  const testFaces = new SyntheticFaces({
    identities: settings.testIdentities,
    imagesPerIdentity: settings.imagesPerIdentity,
    side,
    seed,
    variation,
    firstIdentity: heldOutFirstIdentity,
  });
  const shown = Math.min(8, settings.identities);
  const columns = Math.min(8, settings.imagesPerIdentity);
  post({
    type: 'faces',
    side,
    columns,
    pixels: Array.from(
      { length: shown * columns },
      (_, i) => trainFaces.render(Math.floor(i / columns) * settings.imagesPerIdentity + (i % columns)).pixels,
    ),
  });

  manualSeed(seed);
  const embeddingSize = 128;
  const model = new FaceMobileNet({ embeddingSize, inputSize: side, conv10Kernel: 'global' });
  const head = new ArcFace(embeddingSize, settings.identities, { s: 30, m: 0.5 });
  const optimizer = new SGD([...model.parameters(), ...head.parameters()], { lr: settings.lr, weightDecay: 5e-4 });
  const scheduler = new StepLR(optimizer, { stepSize: Math.max(1, Math.ceil(settings.epochs * 0.7)), gamma: 0.1 });
  const loader = new BatchLoader(trainFaces, {
    transform: trainTransform(side),
    batchSize: settings.batchSize,
    seed,
    dropLast: trainFaces.size % settings.batchSize === 1,
  });
  const buffers = new BufferPool();
  const started = performance.now();
  const losses: number[] = [];
  let images = 0;
  let step = 0;
  const steps = settings.epochs * loader.batchesPerEpoch;
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    for await (const { images: x, labels } of loader.epoch(epoch)) {
      const loss = buffers.run(() => {
        optimizer.zeroGrad();
        const value = focalLoss(head.forward(model.forward(x), labels), labels, { gamma: 2 });
        value.backward();
        optimizer.step();
        return value.item();
      });
      if (!Number.isFinite(loss))
        throw new Error(`training: the loss became ${loss} at step ${step + 1}; lower the learning rate`);
      losses.push(loss);
      images += labels.length;
      step++;
      post({
        type: 'step',
        epoch,
        step,
        steps,
        loss,
        imagesPerSecond: images / ((performance.now() - started) / 1000),
        lossSvg: lossCurve(losses),
      });
    }
    scheduler.step();
  }

  post({ type: 'phase', text: `verifying on ${settings.testIdentities} people the model never saw` });
  model.eval();
  const embed: EmbeddingFunction = (batch) => noGrad(() => model.forward(batch));
  const { report } = await verifyIdentities(embed, testFaces, { side, seed });
  post({
    type: 'report',
    kfoldAccuracy: report.kfoldAccuracy,
    kfoldStd: report.kfoldStd,
    auc: report.auc,
    pairs: report.pairs,
    tarAtFar: report.tarAtFar.map(({ far, tar }) => ({ far, tar })),
    rocSvg: rocCurveSvg(report.roc, report.auc),
    seconds: (performance.now() - started) / 1000,
  });
}

scope.onmessage = (event) => {
  run(event.data.settings).catch((error: unknown) =>
    post({ type: 'error', text: String((error as Error)?.message ?? error) }),
  );
};
