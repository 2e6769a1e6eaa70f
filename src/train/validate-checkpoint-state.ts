import type { Tensor } from '../tensor/index.js';
import { formatShape } from '../tensor/shape.js';
import { faceModelLinearShape } from './face-model.js';
import { type TrainConfig, validateTrainConfig } from './train-config.js';

/** Metadata that passed every check: the fields of CheckpointState, and any that a newer version added. */
export type ValidatedCheckpointState = Record<string, unknown> & { config: TrainConfig };

/**
 * Checks a checkpoint's metadata (the JSON text stored beside the tensors) field by field, and its
 * sizes against the tensors' shapes, before anything is built from it: a damaged or hand-edited
 * file gets an error naming `source` (the file) and the field, never a TypeError or a huge model.
 * Fields this version does not know are kept, so newer additions still load.
 */
export function validateCheckpointState(
  text: string | undefined,
  tensors: ReadonlyMap<string, Tensor>,
  source: string,
): ValidatedCheckpointState {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch (error) {
    throw new Error(`${source}: metadata is not valid JSON (${(error as Error).message})`);
  }
  const state = objectField(value, 'metadata', source);
  if (state.format !== 'arcgrad-checkpoint' || state.version !== 1) {
    throw new Error(
      `${source}: unknown format ${JSON.stringify(state.format)} version ${JSON.stringify(state.version)}`,
    );
  }
  const config = validateTrainConfig(state.config, `${source} config`);
  const epoch = state.epoch;
  if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 0 || epoch > config.epochs) {
    throw new Error(`${source}: epoch must be an integer in [0, ${config.epochs}], got ${JSON.stringify(epoch)}`);
  }
  const classNames = state.classNames;
  if (!Array.isArray(classNames) || classNames.length === 0 || !classNames.every((n) => typeof n === 'string')) {
    throw new Error(`${source}: classNames must be a non-empty array of identity names`);
  }
  for (const key of ['losses', 'epochSeconds'] as const) {
    const list = state[key];
    if (
      !Array.isArray(list) ||
      list.length !== epoch ||
      !list.every((x) => typeof x === 'number' && Number.isFinite(x))
    ) {
      throw new Error(`${source}: ${key} must be ${epoch} finite numbers (one per completed epoch)`);
    }
  }
  const scheduler = objectField(state.scheduler, 'scheduler', source);
  for (const key of ['stepSize', 'gamma', 'baseLr', 'lastEpoch', 'lastLr']) {
    if (typeof scheduler[key] !== 'number' || !Number.isFinite(scheduler[key])) {
      throw new Error(`${source}: scheduler.${key} must be a finite number, got ${JSON.stringify(scheduler[key])}`);
    }
  }
  const optimizer = objectField(state.optimizer, 'optimizer', source);
  objectField(optimizer.hyperparameters, 'optimizer.hyperparameters', source);
  const hasMomentum = optimizer.hasMomentum;
  if (!Array.isArray(hasMomentum) || !hasMomentum.every((h) => typeof h === 'boolean')) {
    throw new Error(`${source}: optimizer.hasMomentum must be an array of true/false`);
  }
  expectShape(tensors, 'model.bn.weight', [config.embeddingSize], source, 'embeddingSize');
  expectShape(tensors, 'head.weight', [classNames.length, config.embeddingSize], source, 'embeddingSize, classNames');
  // bn and head alone are small even for a huge embedding; the linear layer is what it would cost.
  const linearShape = faceModelLinearShape(config.inputSize, config.embeddingSize);
  expectShape(tensors, 'model.linear.weight', linearShape, source, 'embeddingSize, inputSize');
  return { ...state, config };
}

function objectField(value: unknown, field: string, source: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${source}: ${field} must be an object, got ${value === null ? 'null' : typeof value}`);
  }
  return value as Record<string, unknown>;
}

/** The sizes in the config must be the sizes of the stored weights (or the model built would not fit them). */
function expectShape(
  tensors: ReadonlyMap<string, Tensor>,
  name: string,
  shape: number[],
  source: string,
  fields: string,
): void {
  const tensor = tensors.get(name);
  if (tensor === undefined) throw new Error(`${source}: missing tensor ${name}`);
  if (tensor.shape.length !== shape.length || tensor.shape.some((d, i) => d !== shape[i])) {
    throw new Error(
      `${source}: ${name} has shape ${formatShape(tensor.shape)} but the metadata (${fields}) implies ${formatShape(shape)}`,
    );
  }
}
