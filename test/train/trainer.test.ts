import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { SGD, StepLR } from '../../src/optim/index.js';
import { noGrad, randn } from '../../src/tensor/index.js';
import {
  latestCheckpoint,
  loadEmbeddingModel,
  readCheckpoint,
  restoreTrainingParts,
  tensorsWithPrefix,
} from '../../src/train/checkpoint.js';
import { buildFaceModel, buildHead } from '../../src/train/face-model.js';
import { defaultTrainConfig, type TrainConfig } from '../../src/train/train-config.js';
import { train } from '../../src/train/trainer.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A tiny run: 4 synthetic people x 4 photos at 16 px, so each epoch is two batches of 8. */
function tinyConfig(overrides: Partial<TrainConfig> = {}): TrainConfig {
  return {
    ...defaultTrainConfig({ kind: 'synthetic', identities: 4, imagesPerIdentity: 4, seed: 3, variation: 0.3 }),
    inputSize: 16,
    resizeSide: 18,
    embeddingSize: 16,
    batchSize: 8,
    epochs: 2,
    lr: 0.05,
    momentum: 0.9,
    lrStep: 1,
    lrGamma: 0.5,
    ...overrides,
  };
}

const trainDir = async (): Promise<string> => tempDir('train');

function stateArrays(result: { parts: { model: { stateDict(): Map<string, { data: ArrayLike<number> }> } } }) {
  return [...result.parts.model.stateDict()].map(([k, t]) => [k, Array.from(t.data)]);
}

describe('train', () => {
  test('the loss falls over a few epochs on synthetic faces', async () => {
    const result = await train(tinyConfig({ epochs: 6, lrStep: 10 }), { outDir: await trainDir() });
    const losses = result.state.losses;
    expect(losses.length).toBe(6);
    expect(losses[5]).toBeLessThan(losses[0] * 0.8);
  });

  test('a checkpoint per epoch; resuming gives exactly the weights of an uninterrupted run', async () => {
    const straightDir = await trainDir();
    const straight = await train(tinyConfig({ epochs: 3 }), { outDir: straightDir });
    expect((await readdir(straightDir)).filter((f) => f.endsWith('.safetensors')).sort()).toEqual([
      'checkpoint-epoch-001.safetensors',
      'checkpoint-epoch-002.safetensors',
      'checkpoint-epoch-003.safetensors',
    ]);
    const splitDir = await trainDir();
    await train(tinyConfig({ epochs: 1 }), { outDir: splitDir });
    const resumed = await train(tinyConfig({ epochs: 3 }), { outDir: splitDir, resume: true });
    expect(resumed.state.epoch).toBe(3);
    expect(resumed.state.losses).toEqual(straight.state.losses);
    expect(stateArrays(resumed)).toEqual(stateArrays(straight));
    expect(Array.from(resumed.parts.head.stateDict().get('weight')!.data)).toEqual(
      Array.from(straight.parts.head.stateDict().get('weight')!.data),
    );
    expect(resumed.parts.optimizer.lr).toBe(straight.parts.optimizer.lr);
  });

  test('stopping by signal keeps the last complete checkpoint and returns stopped', async () => {
    const dir = await trainDir();
    const controller = new AbortController();
    const result = await train(tinyConfig({ epochs: 3 }), {
      outDir: dir,
      signal: controller.signal,
      onBatch: ({ epoch, batch }) => {
        if (epoch === 1 && batch === 1) controller.abort();
      },
    });
    expect(result.stopped).toBe(true);
    expect(result.state.epoch).toBe(1);
    expect(await latestCheckpoint(dir)).toBe(join(dir, 'checkpoint-epoch-001.safetensors'));
  });

  test('checkpoint round trip: model, head, optimizer and scheduler come back identical', async () => {
    const dir = await trainDir();
    const config = tinyConfig({ epochs: 1 });
    const result = await train(config, { outDir: dir });
    const checkpoint = readCheckpoint(result.lastCheckpoint!);
    expect(checkpoint.state.config).toEqual(config);
    expect(checkpoint.state.losses).toEqual(result.state.losses);

    const model = buildFaceModel(16, 16);
    const head = buildHead('arcface', 16, 4, { scale: 30, margin: 0.5 });
    const optimizer = new SGD([...model.parameters(), ...head.parameters()], { lr: 1 });
    const scheduler = new StepLR(optimizer, { stepSize: 7 });
    restoreTrainingParts(checkpoint, { model, head, optimizer, scheduler });
    expect([...model.stateDict()].map(([k, t]) => [k, Array.from(t.data)])).toEqual(stateArrays(result));
    expect(scheduler.stateDict()).toEqual(result.parts.scheduler.stateDict());
    expect(optimizer.lr).toBe(result.parts.optimizer.lr);
    expect(Array.from(tensorsWithPrefix(checkpoint.tensors, 'optimizer').get('momentum.0')!.data)).toEqual(
      Array.from((result.parts.optimizer.stateDict().momentumBuffers[0] as { data: ArrayLike<number> }).data),
    );

    // The embedding model loaded for `test` and `embed` computes the same embeddings in eval mode.
    const loaded = loadEmbeddingModel(result.lastCheckpoint!);
    const x = randn([3, 1, 16, 16]);
    const expected = noGrad(() => result.model.eval().forward(x));
    expect(Array.from(noGrad(() => loaded.model.forward(x)).data)).toEqual(Array.from(expected.data));
  });

  test('resume without a checkpoint and resume on other identities are errors', async () => {
    const dir = await trainDir();
    await expect(train(tinyConfig(), { outDir: dir, resume: true })).rejects.toThrow(
      `train --resume: no checkpoint-epoch-*.safetensors in ${dir}`,
    );
    await train(tinyConfig({ epochs: 1 }), { outDir: dir });
    const other = tinyConfig({
      data: { kind: 'synthetic', identities: 5, imagesPerIdentity: 4, seed: 3, variation: 0.3 },
    });
    await expect(train(other, { outDir: dir, resume: true })).rejects.toThrow(
      'was trained with other settings (data); only epochs may change on resume',
    );
  });

  test('profile: one step is profiled and profiling leaves the training unchanged', async () => {
    const plain = await train(tinyConfig({ epochs: 1 }), { outDir: await trainDir() });
    expect(plain.profile).toBeNull();
    const profiled = await train(tinyConfig({ epochs: 1 }), { outDir: await trainDir(), profile: true });
    const report = profiled.profile!;
    expect(report).not.toBeNull();
    // FaceMobileNet has one conv2d per conv layer; the profiled step runs each once forward and once backward.
    const conv = report.forward.get('conv2d')!;
    expect(conv.count).toBeGreaterThan(10);
    expect(report.backward.get('conv2d')!.count).toBe(conv.count);
    expect(report.format()).toContain('backward ops');
    expect(profiled.state.losses).toEqual(plain.state.losses);
    expect(stateArrays(profiled)).toEqual(stateArrays(plain));
  });
});
