import { cpuBackend } from '../../src/backend/cpu/index.js';
import { GpuBackend, type GpuMode, registerBackend, setBackend } from '../../src/backend/index.js';
import { ArcFace } from '../../src/heads/index.js';
import { focalLoss } from '../../src/losses/index.js';
import { BufferPool } from '../../src/memory/index.js';
import { FaceMobileNet } from '../../src/models/index.js';
import { SGD } from '../../src/optim/index.js';
import { manualSeed, noGrad, randint, randn } from '../../src/tensor/index.js';
import { firstLine } from './kernel-suite.js';
import { measure, type SamplingBudget } from './measure.js';
import type { ModelRow } from './results.js';

/** Batch, input side and head size of the model benchmark (the reference recipe's training setup at batch 16). */
export const modelBatch = 16;
export const modelInputSize = 128;
export const modelClasses = 1000;

/**
 * One FaceMobileNet + ArcFace + focal loss + SGD training step, and one eval-mode inference batch,
 * on arcgrad. A gpu.js mode gets a fresh backend with its default CPU crossover (as a user gets
 * it), registered under a bench-only name; null runs the CPU backend.
 */
export async function benchArcgradModel(
  gpuMode: GpuMode | null,
  tasks: readonly string[],
  quick: boolean,
  onRow: (row: ModelRow) => void,
): Promise<ModelRow[]> {
  const backendName = gpuMode ? `gpu.js ${gpuMode}` : 'cpu';
  const gpu = gpuMode ? new GpuBackend({ mode: gpuMode }, cpuBackend) : null;
  if (gpu) {
    registerBackend('bench-gpu', () => gpu);
    setBackend('bench-gpu');
  } else {
    registerBackend('bench-cpu', () => cpuBackend);
    setBackend('bench-cpu');
  }
  const rows: ModelRow[] = [];
  // gpu.js on a software renderer takes minutes per step: one sample after the first call. The CPU
  // backend's steady state comes after a few steps of JIT warm-up (see SamplingBudget.warmupCalls).
  const budget: SamplingBudget =
    gpu || quick ? { minSamples: 1, timeMs: 0 } : { minSamples: 3, timeMs: 0, warmupCalls: 3 };
  manualSeed(0);
  const net = new FaceMobileNet({ embeddingSize: 512, inputSize: modelInputSize });
  const head = new ArcFace(512, modelClasses);
  const optimizer = new SGD([...net.parameters(), ...head.parameters()], { lr: 0.1, weightDecay: 5e-4 });
  const images = randn([modelBatch, 1, modelInputSize, modelInputSize]);
  const labels = randint(0, modelClasses, [modelBatch]);
  const buffers = new BufferPool();
  const row = (task: 'train' | 'infer', formulation: string): ModelRow => ({
    task,
    engine: 'arcgrad',
    backend: backendName,
    formulation,
    batch: modelBatch,
    status: 'ok',
    note: gpu
      ? `gpu.js with its default CPU crossover; ${gpu.describe().kernelClass}`
      : cpuBackend.describe().kernelClass,
    timing: null,
    imagesPerSecond: null,
  });
  try {
    if (tasks.includes('train')) {
      net.train();
      const trainStep = (): void => {
        optimizer.zeroGrad();
        const loss = focalLoss(head.forward(net.forward(images), labels), labels);
        loss.backward();
        optimizer.step();
        if (!Number.isFinite(loss.item())) throw new Error(`training step gave a non-finite loss ${loss.item()}`);
      };
      // The trainer's way first (storage recycled through a BufferPool); on the CPU backend also
      // every tensor freshly allocated, so one run shows what the reuse buys.
      const variants: [string, () => void][] = [['autograd (train mode), BufferPool', () => buffers.run(trainStep)]];
      if (!gpu) variants.push(['autograd (train mode), fresh buffers', trainStep]);
      for (const [formulation, run] of variants) {
        const result = row('train', formulation);
        try {
          result.timing = measure(run, budget);
          result.imagesPerSecond = (modelBatch * 1000) / result.timing.meanMs;
        } catch (error) {
          Object.assign(result, { status: 'failed', note: firstLine(error) });
        }
        rows.push(result);
        onRow(result);
      }
    }
    if (tasks.includes('infer')) {
      const result = row('infer', 'eval mode, no graph, BufferPool');
      try {
        net.eval();
        result.timing = measure(
          () => {
            buffers.run(() => {
              noGrad(() => net.forward(images));
            });
          },
          quick ? { minSamples: 1, timeMs: 0 } : { minSamples: 3, timeMs: 0, warmupCalls: 2 },
        );
        result.imagesPerSecond = (modelBatch * 1000) / result.timing.meanMs;
      } catch (error) {
        Object.assign(result, { status: 'failed', note: firstLine(error) });
      }
      rows.push(result);
      onRow(result);
    }
  } finally {
    setBackend('cpu');
    await gpu?.dispose();
  }
  return rows;
}
