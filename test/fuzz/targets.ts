import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import jpeg from 'jpeg-js';
import { decodeImage, encodePng, grayImage } from '../../src/data/index.js';
import { parseSafetensors, readSafetensors, serializeSafetensors } from '../../src/io/index.js';
import { Tensor, zeros } from '../../src/tensor/index.js';
import {
  buildTrainingParts,
  type CheckpointState,
  defaultTrainConfig,
  mergeTrainConfig,
  parseConfigText,
  restoreTrainingParts,
  saveCheckpoint,
  type TrainConfig,
  type TrainingParts,
  validateCheckpointState,
} from '../../src/train/index.js';
import { type FuzzTarget, WronglyAccepted } from './harness.js';
import { boundaryIntegers, mutatedBytes, mutatedJsonText } from './mutate.js';

const utf8 = new TextEncoder();

/** safetensors: a small file of float32, float64 and int64 tensors with metadata, mutated as bytes and as header JSON. */
export function safetensorsTarget(): FuzzTarget<Uint8Array> {
  const base = serializeSafetensors(
    {
      weight: new Tensor(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]),
      bias: new Tensor(Float64Array.from([0.5, -0.5]), [2]),
      steps: new Tensor(Float32Array.from([7]), []),
    },
    { dtypes: { steps: 'I64' }, metadata: { note: 'fuzz base' } },
  );
  const headerLength = Number(new DataView(base.buffer, base.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(base.subarray(8, 8 + headerLength)));
  const data = base.subarray(8 + headerLength);
  /** A file around a header of the given JSON text: its true length, or a wrong one. */
  const withHeader = (text: string, lengthDelta: number): Uint8Array => {
    const json = utf8.encode(text);
    const out = new Uint8Array(8 + json.length + data.length);
    new DataView(out.buffer).setBigUint64(0, BigInt(Math.max(0, json.length + lengthDelta)), true);
    out.set(json, 8);
    out.set(data, 8 + json.length);
    return out;
  };
  return {
    name: 'safetensors',
    inputs: fc.oneof(
      mutatedBytes(base),
      fc
        .tuple(mutatedJsonText(header), fc.constantFrom(0, 0, 0, -1, 1, 2 ** 20))
        .map(([text, delta]) => withHeader(text, delta)),
    ),
    run: (bytes) => {
      parseSafetensors(bytes);
    },
    refusal: /^safetensors: /,
  };
}

/** Pixels the image fuzz allows, so that an accepted mutant stays small. */
export const fuzzMaxPixels = 4096;

/** A PNG with its IHDR fields replaced and the chunk's CRC fixed, so the edit reaches the decoder. */
function pngWithHeader(png: Uint8Array, fields: [number, number, number, number, number]): Uint8Array {
  const out = png.slice();
  const view = new DataView(out.buffer);
  const [width, height, bitDepth, colorType, interlace] = fields;
  view.setUint32(16, width >>> 0);
  view.setUint32(20, height >>> 0);
  out[24] = bitDepth;
  out[25] = colorType;
  out[28] = interlace;
  view.setUint32(29, crc32(out.subarray(12, 29)));
  return out;
}

/** A JPEG with the frame size of its first SOF0 segment replaced. */
function jpegWithSize(bytes: Uint8Array, width: number, height: number): Uint8Array {
  const out = bytes.slice();
  for (let i = 2; i + 8 < out.length; i++) {
    if (out[i] === 0xff && out[i + 1] === 0xc0) {
      const view = new DataView(out.buffer);
      view.setUint16(i + 5, height & 0xffff);
      view.setUint16(i + 7, width & 0xffff);
      break;
    }
  }
  return out;
}

/** Images: PNG, JPEG and PGM, mutated as bytes and through the size fields of their headers. */
export function imageTarget(): FuzzTarget<Uint8Array> {
  const gray = grayImage(
    6,
    5,
    Float32Array.from({ length: 30 }, (_, i) => i / 30),
  );
  const png = new Uint8Array(encodePng(gray));
  const rgba = Buffer.alloc(8 * 8 * 4, 0x80);
  const jpg = new Uint8Array(jpeg.encode({ width: 8, height: 8, data: rgba }, 90).data);
  const pgmPixels = 'A'.repeat(30);
  const pgm = utf8.encode(`P5\n6 5\n255\n${pgmPixels}`);
  const size = fc.oneof(fc.constantFrom(...boundaryIntegers), fc.integer({ min: 0, max: 100 }));
  const pgmField = fc.oneof(
    size.map(String),
    fc.constantFrom('-1', '1e9', '99999999999999999999', 'abc', '0x10', '6.5', ''),
  );
  return {
    name: 'image',
    inputs: fc.oneof(
      mutatedBytes(png),
      mutatedBytes(jpg),
      mutatedBytes(pgm),
      fc
        .tuple(
          size,
          size,
          fc.constantFrom(1, 2, 4, 8, 16, 0, 3),
          fc.constantFrom(0, 2, 3, 4, 6, 1, 7),
          fc.constantFrom(0, 1, 2),
        )
        .map((fields) => pngWithHeader(png, fields)),
      fc.tuple(size, size).map(([width, height]) => jpegWithSize(jpg, width, height)),
      fc
        .tuple(pgmField, pgmField, pgmField)
        .map(([width, height, max]) => utf8.encode(`P5\n${width} ${height}\n${max}\n${pgmPixels}`)),
    ),
    run: (bytes) => {
      const image = decodeImage(bytes, 'mutant', { maxPixels: fuzzMaxPixels });
      // Accepted: an image that holds all its pixels, each in [0, 1], within the bound.
      const { width, height, pixels } = image;
      if (
        width * height > fuzzMaxPixels ||
        pixels.length !== width * height ||
        !pixels.every((p) => p >= 0 && p <= 1)
      ) {
        throw new WronglyAccepted(
          `decodeImage returned a ${width} x ${height} image of ${pixels.length} pixels, or one outside [0, 1]`,
        );
      }
    },
    refusal: /^decode(Image|Pgm): mutant: /,
  };
}

/** A checkpoint's metadata text and tensors, as the resume path reads them. */
export interface CheckpointInput {
  metadata: string;
  tensors: Map<string, Tensor>;
}

/** The config of the fuzz checkpoint: the smallest model, three identities, momentum (so buffers are saved). */
function tinyConfig(): TrainConfig {
  return {
    ...defaultTrainConfig({ kind: 'synthetic', identities: 3, imagesPerIdentity: 2, seed: 1, variation: 0.3 }),
    inputSize: 16,
    resizeSide: 18,
    embeddingSize: 8,
    batchSize: 6,
    epochs: 2,
    momentum: 0.9,
  };
}

/**
 * Checkpoint metadata and tensors: a checkpoint written by saveCheckpoint after one step (so
 * momentum buffers exist), its metadata mutated as JSON and as text, and its tensors dropped or
 * reshaped. Each case runs the resume path: validate the metadata, build the parts it describes,
 * load the tensors into them.
 */
export async function checkpointTarget(): Promise<FuzzTarget<CheckpointInput>> {
  const config = tinyConfig();
  const parts = buildTrainingParts(config, 3);
  for (const p of parts.optimizer.params) p.grad = zeros(p.shape);
  parts.optimizer.step();
  const state = {
    format: 'arcgrad-checkpoint' as const,
    version: 1 as const,
    epoch: 1,
    config,
    classNames: ['a', 'b', 'c'],
    losses: [1.5],
    epochSeconds: [0.1],
    scheduler: parts.scheduler.stateDict(),
    optimizer: { hyperparameters: parts.optimizer.stateDict().hyperparameters, hasMomentum: [] },
  };
  const folder = mkdtempSync(join(tmpdir(), 'arcgrad-fuzz-'));
  let saved: ReturnType<typeof readSafetensors>;
  try {
    saved = readSafetensors(await saveCheckpoint(folder, parts, state));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const metadata = JSON.parse(saved.metadata.arcgrad);
  const keys = [...saved.tensors.keys()];
  const tensorEdit = fc.oneof(
    fc.constant(null),
    fc.record({
      key: fc.constantFrom(...keys),
      change: fc.constantFrom('drop' as const, 'flatten' as const, 'grow' as const),
    }),
  );
  const withEdit = (edit: { key: string; change: 'drop' | 'flatten' | 'grow' } | null): Map<string, Tensor> => {
    const tensors = new Map(saved.tensors);
    if (edit === null) return tensors;
    const tensor = tensors.get(edit.key)!;
    if (edit.change === 'drop') tensors.delete(edit.key);
    else if (edit.change === 'flatten') tensors.set(edit.key, new Tensor(tensor.data, [tensor.size]));
    else tensors.set(edit.key, zeros([...tensor.shape, 2]));
    return tensors;
  };
  // Building a model takes far longer than refusing a mutant; parts are rebuilt only when the
  // config or the identity count differs from the last accepted case (loading overwrites them all).
  let cached: { key: string; parts: TrainingParts } | null = null;
  const partsFor = (partsConfig: TrainConfig, identities: number): TrainingParts => {
    const key = JSON.stringify([partsConfig, identities]);
    if (cached?.key !== key) cached = { key, parts: buildTrainingParts(partsConfig, identities) };
    return cached.parts;
  };
  return {
    name: 'checkpoint',
    inputs: fc.oneof(
      fc
        .oneof(
          fc.tuple(mutatedJsonText(metadata), fc.constant(null)),
          fc.tuple(fc.constant(saved.metadata.arcgrad), tensorEdit),
          fc.tuple(mutatedJsonText(metadata), tensorEdit),
        )
        .map(([text, edit]) => ({
          metadata: text,
          tensors: withEdit(edit),
          // How fast-check prints a failing case: the tensors only by the edit made to them.
          [fc.toStringMethod]: () =>
            `{ metadata: ${JSON.stringify(text)}, tensors: ${edit === null ? 'as saved' : `${edit.key} ${edit.change}`} }`,
        })),
      // A consistent lie: embeddingSize, bn.weight and head.weight grown together cost the file
      // kilobytes, but would ask for a linear layer of up to 2048 x 100,000 floats.
      fc.tuple(fc.constantFrom(1000, 100_000), fc.constantFrom(16, 128)).map(([embeddingSize, inputSize]) => {
        const tensors = new Map(saved.tensors);
        tensors.set('model.bn.weight', zeros([embeddingSize]));
        tensors.set('head.weight', zeros([3, embeddingSize]));
        const grown = { ...metadata.config, embeddingSize, inputSize, resizeSide: Math.max(inputSize, 18) };
        return {
          metadata: JSON.stringify({ ...metadata, config: grown }),
          tensors,
          [fc.toStringMethod]: () =>
            `{ embeddingSize ${embeddingSize} with bn and head to match, inputSize ${inputSize} }`,
        };
      }),
    ),
    run: ({ metadata: text, tensors }) => {
      const path = 'mutant';
      const validated = validateCheckpointState(text, tensors, `checkpoint ${path}`);
      const classNames = validated.classNames as string[];
      // Every field of CheckpointState was checked by the validator (as readCheckpoint relies on).
      const checkpoint = { path, state: validated as unknown as CheckpointState, tensors };
      restoreTrainingParts(checkpoint, partsFor(validated.config, classNames.length));
    },
    // The validator names the config inside a checkpoint as `checkpoint <path> config`.
    refusal: /^checkpoint mutant( config)?: /,
  };
}

/**
 * Config files: a file setting most fields (the rest keep the reference recipe's), mutated as JSON
 * and as text, then read and merged over the defaults as `train --config` does.
 */
export function configTarget(): FuzzTarget<string> {
  const { data, metric, momentum, batchSize, embeddingSize, inputSize, resizeSide, epochs, lrStep } = tinyConfig();
  const file = { data, metric, momentum, batchSize, embeddingSize, inputSize, resizeSide, epochs, lrStep };
  return {
    name: 'config',
    inputs: fc.oneof(
      mutatedJsonText(file),
      fc.jsonValue().map((value) => JSON.stringify(value)),
    ),
    run: (text) => {
      const layer = parseConfigText(text, 'mutant.json');
      mergeTrainConfig(layer.data ?? data, [layer], 'config (mutant.json and flags)');
    },
    refusal: /^config (file mutant\.json|\(mutant\.json and flags\)): /,
  };
}

/** Every fuzz target, by name. */
export async function fuzzTargets(): Promise<FuzzTarget<never>[]> {
  return [safetensorsTarget(), imageTarget(), await checkpointTarget(), configTarget()] as FuzzTarget<never>[];
}
