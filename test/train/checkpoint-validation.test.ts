import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { readSafetensors, serializeSafetensors } from '../../src/io/index.js';
import { SGD, StepLR } from '../../src/optim/index.js';
import { Tensor } from '../../src/tensor/index.js';
import {
  buildFaceModel,
  buildHead,
  defaultTrainConfig,
  loadEmbeddingModel,
  readCheckpoint,
  restoreTrainingParts,
  train,
} from '../../src/train/index.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('checkpoint');
let original: ReturnType<typeof readSafetensors>;

beforeAll(async () => {
  const config = {
    ...defaultTrainConfig({ kind: 'synthetic', identities: 3, imagesPerIdentity: 2, seed: 1, variation: 0.3 }),
    inputSize: 16,
    resizeSide: 18,
    embeddingSize: 8,
    batchSize: 6,
    epochs: 1,
    momentum: 0.9,
  };
  const result = await train(config, { outDir: dir });
  original = readSafetensors(result.lastCheckpoint!);
});

/** Writes the trained checkpoint again with its metadata text replaced (and optionally a tensor). */
function variant(name: string, metadata: string, tensors = original.tensors): string {
  const path = join(dir, `${name}.safetensors`);
  writeFileSync(path, serializeSafetensors(tensors, { metadata: { arcgrad: metadata } }));
  return path;
}

const state = (): Record<string, unknown> => JSON.parse(original.metadata.arcgrad);

describe('checkpoint metadata is validated before anything is built', () => {
  test('broken JSON, null and wrongly typed fields are errors naming the file and the field', () => {
    const cases: [string, string, string][] = [
      ['cut', original.metadata.arcgrad.slice(0, 50), 'metadata is not valid JSON'],
      ['null', 'null', 'metadata must be an object, got null'],
      ['class-names', JSON.stringify({ ...state(), classNames: 5 }), 'classNames must be a non-empty array'],
      ['optimizer', JSON.stringify({ ...state(), optimizer: null }), 'optimizer must be an object, got null'],
      ['losses', JSON.stringify({ ...state(), losses: 'abc' }), 'losses must be 1 finite numbers'],
      ['epoch', JSON.stringify({ ...state(), epoch: -3 }), 'epoch must be an integer in [0, 1], got -3'],
    ];
    for (const [name, text, message] of cases) {
      const path = variant(name, text);
      expect(() => readCheckpoint(path), name).toThrow(`checkpoint ${path}: ${message}`);
    }
  });

  test('an embeddingSize that the weights do not have fails before a model of that size is built', () => {
    const s = state();
    const path = variant('huge', JSON.stringify({ ...s, config: { ...(s.config as object), embeddingSize: 8192 } }));
    expect(() => readCheckpoint(path)).toThrow(
      `checkpoint ${path}: model.bn.weight has shape [8] but the metadata (embeddingSize) implies [8192]`,
    );
  });

  test('an embeddingSize past the configs bound is refused as a config field, naming the file', () => {
    const s = state();
    const path = variant('wide', JSON.stringify({ ...s, config: { ...(s.config as object), embeddingSize: 1e6 } }));
    expect(() => readCheckpoint(path)).toThrow(
      `checkpoint ${path} config: embeddingSize must be an integer in [1, 8192], got 1000000`,
    );
  });

  test('an embeddingSize that bn and head agree with is refused when the linear weight does not fit it', () => {
    // Growing bn.weight and head.weight costs the file kilobytes; the linear layer built from it
    // would cost embeddingSize x 512 floats per feature-map cell. Its own tensor must be there.
    const s = state();
    const tensors = new Map(original.tensors);
    tensors.set('model.bn.weight', new Tensor(new Float32Array(8192), [8192]));
    tensors.set('head.weight', new Tensor(new Float32Array(3 * 8192), [3, 8192]));
    const metadata = JSON.stringify({ ...s, config: { ...(s.config as object), embeddingSize: 8192 } });
    const path = variant('grown', metadata, tensors);
    expect(() => readCheckpoint(path)).toThrow(
      `checkpoint ${path}: model.linear.weight has shape [8, 512] but the metadata (embeddingSize, inputSize) implies [8192, 512]`,
    );
  });

  test('plain weights whose linear layer does not fit the sizes asked for are refused before building', () => {
    const plain = new Map(
      [...original.tensors].filter(([key]) => key.startsWith('model.')).map(([k, t]) => [k.slice(6), t]),
    );
    const path = join(dir, 'plain.safetensors');
    writeFileSync(path, serializeSafetensors(plain));
    expect(loadEmbeddingModel(path, { inputSize: 16 }).model.embeddingSize).toBe(8);
    expect(() => loadEmbeddingModel(path, { inputSize: 128 })).toThrow(
      `model file ${path}: linear.weight has shape [8, 512], but input size 128 and embedding size 8 need [8, 2048]`,
    );
    plain.set('bn.weight', new Tensor(new Float32Array(100_000), [100_000]));
    const grown = join(dir, 'plain-grown.safetensors');
    writeFileSync(grown, serializeSafetensors(plain));
    expect(() => loadEmbeddingModel(grown, { inputSize: 16 })).toThrow(
      `model file ${grown}: linear.weight has shape [8, 512], but input size 16 and embedding size 100000 need [100000, 512]`,
    );
  });

  test('a momentum buffer with the right element count but another shape is refused', () => {
    const tensors = new Map(original.tensors);
    const buffer = tensors.get('optimizer.momentum.0')!;
    tensors.set('optimizer.momentum.0', new Tensor(buffer.data, [buffer.size]));
    const checkpoint = readCheckpoint(variant('reshaped', original.metadata.arcgrad, tensors));
    const model = buildFaceModel(16, 8);
    const head = buildHead('arcface', 8, 3, { scale: 30, margin: 0.5 });
    const optimizer = new SGD([...model.parameters(), ...head.parameters()], { lr: 1, momentum: 0.9 });
    const scheduler = new StepLR(optimizer, { stepSize: 7 });
    expect(() => restoreTrainingParts(checkpoint, { model, head, optimizer, scheduler })).toThrow(
      `optimizer.momentum.0 has shape [${buffer.size}], its parameter [${buffer.shape.join(', ')}]`,
    );
  });
});
