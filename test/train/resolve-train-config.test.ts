import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  defaultSyntheticSizes,
  defaultTrainConfig,
  type LoadedCheckpoint,
  resolveTrainConfig,
  type TrainConfig,
} from '../../src/train/index.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A stand-in for a checkpoint read from disk: only its config matters to the resolver. */
function checkpointWith(config: TrainConfig): LoadedCheckpoint {
  return {
    path: 'run/checkpoint-epoch-001.safetensors',
    state: { config } as LoadedCheckpoint['state'],
    tensors: new Map(),
  };
}

describe('resolveTrainConfig', () => {
  test('explicit settings beat the config file, which beats the checkpoint, which beats the defaults', async () => {
    const dir = tempDir('resolve');
    const file = join(dir, 'run.json');
    await writeFile(file, JSON.stringify({ lr: 0.3, epochs: 4, momentum: 0.5 }));
    const base = { ...defaultTrainConfig({ kind: 'folder', root: 'faces' }), lr: 0.9, epochs: 2, weightDecay: 0.01 };
    const config = await resolveTrainConfig({
      configFile: file,
      settings: { epochs: 8, lr: undefined },
      checkpoint: checkpointWith(base),
    });
    expect(config.epochs).toBe(8);
    expect(config.lr).toBe(0.3);
    expect(config.momentum).toBe(0.5);
    expect(config.weightDecay).toBe(0.01);
    expect(config.data).toEqual({ kind: 'folder', root: 'faces' });
  });

  test("'synthetic' data takes the library's documented sizes and the resolved seed", async () => {
    const config = await resolveTrainConfig({ data: 'synthetic', settings: { seed: 7 }, synthetic: { identities: 5 } });
    expect(config.data).toEqual({ kind: 'synthetic', ...defaultSyntheticSizes, identities: 5, seed: 7 });
  });

  test('a folder with an identity selection, and no data at all, which is an error', async () => {
    const config = await resolveTrainConfig({ data: 'faces', identities: 's1..s3' });
    expect(config.data).toEqual({ kind: 'folder', root: 'faces', identities: 's1..s3' });
    await expect(resolveTrainConfig({})).rejects.toThrow(
      "missing --data: an identity folder (one sub-folder per person) or 'synthetic'",
    );
  });

  test('a config file obeys the bounds of the flags: batchSize >= 2, inputSize <= 512', async () => {
    const dir = tempDir('resolve');
    const small = join(dir, 'small.json');
    await writeFile(small, JSON.stringify({ batchSize: 1 }));
    await expect(resolveTrainConfig({ data: 'synthetic', configFile: small })).rejects.toThrow(
      `config (${small} and flags): batchSize must be an integer in [2, `,
    );
    const huge = join(dir, 'huge.json');
    await writeFile(huge, JSON.stringify({ inputSize: 1000 }));
    await expect(resolveTrainConfig({ data: 'synthetic', configFile: huge })).rejects.toThrow(
      'inputSize must be an integer in [16, 512], got 1000',
    );
    const crowd = join(dir, 'crowd.json');
    await writeFile(
      crowd,
      JSON.stringify({ data: { kind: 'synthetic', identities: 1e9, imagesPerIdentity: 1, seed: 0, variation: 1 } }),
    );
    await expect(resolveTrainConfig({ configFile: crowd })).rejects.toThrow(
      'data.identities must be an integer in [1, 100000], got 1000000000',
    );
  });
});
