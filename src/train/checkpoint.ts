import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../data/index.js';
import type { Calibration } from '../eval/index.js';
import { readSafetensors, type SafetensorsContents, type SafetensorsDType, saveSafetensors } from '../io/index.js';
import type { FaceMobileNet } from '../models/index.js';
import type { Module } from '../nn/index.js';
import type { SGD, SGDStateDict, StepLR, StepLRStateDict } from '../optim/index.js';
import type { Tensor } from '../tensor/index.js';
import { formatShape } from '../tensor/shape.js';
import { calibrationFromMetadata } from './calibration-store.js';
import { buildFaceModel, faceModelLinearShape } from './face-model.js';
import type { TrainConfig } from './train-config.js';
import { validateCheckpointState } from './validate-checkpoint-state.js';

/** The non-tensor part of a checkpoint: enough, with the tensors, to resume exactly. */
export interface CheckpointState {
  format: 'arcgrad-checkpoint';
  version: 1;
  /** Epochs completed (the next epoch to run, counting from 0). */
  epoch: number;
  config: TrainConfig;
  /** Identity names in label order, so a resume can check it sees the same data. */
  classNames: string[];
  /** Mean training loss of each completed epoch. */
  losses: number[];
  /** Training seconds of each completed epoch. */
  epochSeconds: number[];
  scheduler: StepLRStateDict;
  optimizer: { hyperparameters: SGDStateDict['hyperparameters']; hasMomentum: boolean[] };
}

/** The trainable parts a checkpoint holds. */
export interface TrainingParts {
  model: FaceMobileNet;
  head: Module<[Tensor, Int32Array], Tensor>;
  optimizer: SGD;
  scheduler: StepLR;
}

const metadataKey = 'arcgrad';
const filePattern = /^checkpoint-epoch-(\d+)\.safetensors$/;

/** File name of the checkpoint written after `epoch` completed epochs. */
export function checkpointPath(folder: string, epoch: number): string {
  return join(folder, `checkpoint-epoch-${String(epoch).padStart(3, '0')}.safetensors`);
}

/**
 * Writes one checkpoint: a safetensors file (model.*, head.*, optimizer.momentum.<i>, and the state
 * as JSON metadata), renamed into place so it is complete or absent; then a readable JSON copy of the
 * state beside it. Returns the safetensors path.
 */
export async function saveCheckpoint(folder: string, parts: TrainingParts, state: CheckpointState): Promise<string> {
  const tensors = new Map<string, Tensor>();
  const dtypes: Record<string, SafetensorsDType> = {};
  for (const [prefix, module] of [
    ['model', parts.model],
    ['head', parts.head],
  ] as const) {
    for (const [key, tensor] of module.stateDict()) {
      tensors.set(`${prefix}.${key}`, tensor);
      // PyTorch stores this counter as int64; keeping that makes the file loadable there too.
      if (key.endsWith('num_batches_tracked')) dtypes[`${prefix}.${key}`] = 'I64';
    }
  }
  const optimizerState = parts.optimizer.stateDict();
  optimizerState.momentumBuffers.forEach((buffer, i) => {
    if (buffer !== null) tensors.set(`optimizer.momentum.${i}`, buffer as Tensor);
  });
  const fullState: CheckpointState = {
    ...state,
    scheduler: parts.scheduler.stateDict(),
    optimizer: {
      hyperparameters: optimizerState.hyperparameters,
      hasMomentum: optimizerState.momentumBuffers.map((b) => b !== null),
    },
  };
  const path = checkpointPath(folder, state.epoch);
  await mkdir(folder, { recursive: true });
  saveSafetensors(path, tensors, { dtypes, metadata: { [metadataKey]: JSON.stringify(fullState) } });
  await writeFileAtomic(path.replace(/\.safetensors$/, '.json'), `${JSON.stringify(fullState, null, 2)}\n`);
  return path;
}

/** A checkpoint read back: its state and its tensors by name. */
export interface LoadedCheckpoint {
  path: string;
  state: CheckpointState;
  tensors: Map<string, Tensor>;
}

/** Reads and checks a checkpoint file written by `saveCheckpoint`. */
export function readCheckpoint(path: string): LoadedCheckpoint {
  const contents = readContents(path, 'checkpoint');
  if (contents.metadata[metadataKey] === undefined) {
    throw new Error(
      `checkpoint ${path}: no '${metadataKey}' metadata (not written by arcgrad train; for plain model weights pass --input-size and --embedding-size)`,
    );
  }
  return checkpointFromContents(path, contents);
}

/** Reads a safetensors file; errors name what the file is for and its path. */
function readContents(path: string, role: string): SafetensorsContents {
  try {
    return readSafetensors(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${role} ${path}: cannot read (${code ?? (error as Error).message})`);
  }
}

/** Checks the arcgrad metadata of file contents already read, before any model is built from them. */
function checkpointFromContents(path: string, contents: SafetensorsContents): LoadedCheckpoint {
  const state = validateCheckpointState(contents.metadata[metadataKey], contents.tensors, `checkpoint ${path}`);
  // Every field of CheckpointState was checked above; the type system cannot see that through JSON.
  return { path, state: state as unknown as CheckpointState, tensors: contents.tensors };
}

/** The tensors under `prefix.`, with the prefix removed (a module's state dict). */
export function tensorsWithPrefix(tensors: ReadonlyMap<string, Tensor>, prefix: string): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const [key, tensor] of tensors) if (key.startsWith(`${prefix}.`)) out.set(key.slice(prefix.length + 1), tensor);
  return out;
}

/**
 * Runs `load` and puts the file (`checkpoint <path>`) in front of any error it throws:
 * loadStateDict and the optimizer name the key or the field, not the file it came from.
 */
function naming<T>(file: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    const message = (error as Error).message;
    throw message.startsWith(`${file}: `) ? error : new Error(`${file}: ${message}`);
  }
}

/** Restores model, head, optimizer and scheduler from a checkpoint (strict: every key must match). */
export function restoreTrainingParts(checkpoint: LoadedCheckpoint, parts: TrainingParts): void {
  naming(`checkpoint ${checkpoint.path}`, () => restoreParts(checkpoint, parts));
}

function restoreParts(checkpoint: LoadedCheckpoint, parts: TrainingParts): void {
  parts.model.loadStateDict(tensorsWithPrefix(checkpoint.tensors, 'model'));
  parts.head.loadStateDict(tensorsWithPrefix(checkpoint.tensors, 'head'));
  const { hyperparameters, hasMomentum } = checkpoint.state.optimizer;
  // SGD checks a buffer's element count; a buffer of another shape is still the wrong buffer.
  const parameters = [...parts.model.parameters(), ...parts.head.parameters()];
  hasMomentum.forEach((has, i) => {
    const buffer = checkpoint.tensors.get(`optimizer.momentum.${i}`);
    const expected = parameters[i]?.shape;
    if (has && buffer && expected && formatShape(buffer.shape) !== formatShape(expected)) {
      throw new Error(
        `checkpoint ${checkpoint.path}: optimizer.momentum.${i} has shape ${formatShape(buffer.shape)}, its parameter ${formatShape(expected)}`,
      );
    }
  });
  parts.optimizer.loadStateDict({
    hyperparameters,
    momentumBuffers: hasMomentum.map((has, i) => {
      if (!has) return null;
      const buffer = checkpoint.tensors.get(`optimizer.momentum.${i}`);
      if (!buffer) throw new Error(`checkpoint ${checkpoint.path}: missing optimizer.momentum.${i}`);
      return buffer;
    }),
  });
  parts.scheduler.loadStateDict(checkpoint.state.scheduler);
}

/** The checkpoint with the most completed epochs in `folder`, or null when there is none. */
export async function latestCheckpoint(folder: string): Promise<string | null> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return null;
  }
  let best: { epoch: number; name: string } | null = null;
  for (const name of names) {
    const match = filePattern.exec(name);
    if (match && (best === null || Number(match[1]) > best.epoch)) best = { epoch: Number(match[1]), name };
  }
  return best === null ? null : join(folder, best.name);
}

/** An embedding model read from a file, in eval mode, with what the file says about it. */
export interface LoadedEmbeddingModel {
  model: FaceMobileNet;
  inputSize: number;
  /** The training state, for an arcgrad checkpoint; null for plain weights. */
  state: CheckpointState | null;
  /** The operating points `arcgrad test` stored in the file, or null when it was never calibrated. */
  calibration: Calibration | null;
}

/**
 * Loads the embedding model from a file: an arcgrad checkpoint (model.* tensors, sizes from its
 * config) or plain FaceMobileNet weights with PyTorch keys (sizes must then be given).
 */
export function loadEmbeddingModel(
  path: string,
  sizes: { inputSize?: number; embeddingSize?: number } = {},
): LoadedEmbeddingModel {
  const contents = readContents(path, 'model file');
  const calibration = calibrationFromMetadata(contents.metadata, `model file ${path}`);
  if (contents.metadata[metadataKey] !== undefined) {
    const checkpoint = checkpointFromContents(path, contents);
    const { inputSize, embeddingSize } = checkpoint.state.config;
    const model = buildFaceModel(inputSize, embeddingSize);
    naming(`checkpoint ${path}`, () => model.loadStateDict(tensorsWithPrefix(checkpoint.tensors, 'model')));
    return { model: model.eval(), inputSize, state: checkpoint.state, calibration };
  }
  const inputSize = sizes.inputSize;
  const bn = contents.tensors.get('bn.weight');
  const embeddingSize = sizes.embeddingSize ?? bn?.shape[0];
  if (inputSize === undefined || embeddingSize === undefined) {
    throw new Error(
      `model file ${path}: plain weights without arcgrad metadata; pass --input-size (and --embedding-size)`,
    );
  }
  const linear = contents.tensors.get('linear.weight');
  const linearShape = faceModelLinearShape(inputSize, embeddingSize);
  if (linear === undefined || formatShape(linear.shape) !== formatShape(linearShape)) {
    // Checked before building: a 400-byte bn.weight could otherwise ask for a gigabyte-sized linear layer.
    throw new Error(
      `model file ${path}: linear.weight has shape ${linear ? formatShape(linear.shape) : '(missing)'}, ` +
        `but input size ${inputSize} and embedding size ${embeddingSize} need ${formatShape(linearShape)}`,
    );
  }
  const model = buildFaceModel(inputSize, embeddingSize);
  naming(`model file ${path}`, () => model.loadStateDict(contents.tensors));
  return { model: model.eval(), inputSize, state: null, calibration };
}
