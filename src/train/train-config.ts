import { readFile, stat } from 'node:fs/promises';

/** The margin heads the trainer can use. */
export type MetricName = 'arcface' | 'cosface';
/** The losses the trainer can use. */
export type LossName = 'focal' | 'cross-entropy';

/** Where training images come from: an identity folder, or the built-in synthetic faces. */
export type TrainData =
  | { kind: 'folder'; root: string; identities?: string }
  | { kind: 'synthetic'; identities: number; imagesPerIdentity: number; seed: number; variation: number };

/** Everything that defines a training run; stored in every checkpoint. */
export interface TrainConfig {
  data: TrainData;
  metric: MetricName;
  loss: LossName;
  /** Focal loss gamma. */
  gamma: number;
  /** Head scale s and margin m (default m: 0.5 ArcFace, 0.4 CosFace). */
  scale: number;
  margin: number;
  lr: number;
  momentum: number;
  weightDecay: number;
  /** StepLR: multiply lr by lrGamma every lrStep epochs. */
  lrStep: number;
  lrGamma: number;
  batchSize: number;
  embeddingSize: number;
  inputSize: number;
  /** Side the train transform resizes to before the random crop (seed: 144 for 128). */
  resizeSide: number;
  epochs: number;
  seed: number;
  skipBad: boolean;
}

/** The reference recipe on a given data source. */
export function defaultTrainConfig(data: TrainData): TrainConfig {
  return {
    data,
    metric: 'arcface',
    loss: 'focal',
    gamma: 2,
    scale: 30,
    margin: 0.5,
    lr: 0.1,
    momentum: 0,
    weightDecay: 5e-4,
    lrStep: 10,
    lrGamma: 0.1,
    batchSize: 64,
    embeddingSize: 512,
    inputSize: 128,
    resizeSide: 144,
    epochs: 20,
    seed: 0,
    skipBad: false,
  };
}

/** How many synthetic people and photos a run draws, and how much each photo varies. */
export interface SyntheticSizes {
  identities: number;
  imagesPerIdentity: number;
  /** Scale of the per-photo variation (pose, light, expression, noise); 1 is the full range. */
  variation: number;
}

/**
 * The synthetic set of `train --data synthetic`: 1,024 photos at full variation, a training set in
 * the spirit of the reference recipe's (many photos per person, hard ones). The demo draws its own,
 * smaller and easier preset (`defaultDemoOptions`) so that it trains and verifies in five minutes.
 */
export const defaultSyntheticSizes: Readonly<SyntheticSizes> = { identities: 64, imagesPerIdentity: 16, variation: 1 };

/** The synthetic data source of a run: the given sizes, the rest from `defaultSyntheticSizes`. */
export function syntheticTrainData(sizes: Partial<SyntheticSizes>, seed: number): TrainData {
  return { kind: 'synthetic', ...defaultSyntheticSizes, ...definedFields(sizes), seed };
}

/** A copy without the fields that are undefined, so spreading it never erases a default. */
export function definedFields<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Largest model input side: FaceMobileNet's activations grow with its square (1000 px needs 14 GB). */
export const maxInputSize = 512;

/**
 * The widest embedding a config may ask for: 16x the reference recipe's 512. The embedding layer
 * holds (512 x conv10's output plane) x embeddingSize weights, so a value of 1e5 alone asks for
 * hundreds of megabytes before training starts.
 */
export const maxEmbeddingSize = 8192;

/** The default margin of each head, as in the reference recipe. */
export function defaultMargin(metric: MetricName): number {
  return metric === 'arcface' ? 0.5 : 0.4;
}

/** Resize side that keeps the reference recipe's 144 / 128 ratio for another input side. */
export function defaultResizeSide(inputSize: number): number {
  return Math.round((inputSize * 144) / 128);
}

const numericFields = {
  gamma: [0, Number.POSITIVE_INFINITY, false],
  scale: [Number.MIN_VALUE, Number.POSITIVE_INFINITY, false],
  margin: [0, Math.PI / 2, false],
  lr: [Number.MIN_VALUE, Number.POSITIVE_INFINITY, false],
  momentum: [0, 1, false],
  weightDecay: [0, Number.POSITIVE_INFINITY, false],
  lrStep: [1, Number.MAX_SAFE_INTEGER, true],
  lrGamma: [Number.MIN_VALUE, Number.POSITIVE_INFINITY, false],
  // BatchNorm needs two samples in a batch to have a variance.
  batchSize: [2, Number.MAX_SAFE_INTEGER, true],
  embeddingSize: [1, maxEmbeddingSize, true],
  inputSize: [16, maxInputSize, true],
  resizeSide: [16, 2 * maxInputSize, true],
  epochs: [1, Number.MAX_SAFE_INTEGER, true],
  seed: [0, 2 ** 32 - 1, true],
} as const satisfies Record<string, readonly [number, number, boolean]>;

/**
 * Checks every field of a config (as read from JSON, so nothing is trusted) and returns it typed.
 * Errors name the field, the expected range and the value.
 */
export function validateTrainConfig(value: unknown, source = 'config'): TrainConfig {
  if (typeof value !== 'object' || value === null)
    throw new Error(`${source}: expected an object, got ${typeof value}`);
  const config = value as Record<string, unknown>;
  const known = new Set([...Object.keys(numericFields), 'data', 'metric', 'loss', 'skipBad']);
  for (const key of Object.keys(config)) {
    if (!known.has(key)) throw new Error(`${source}: unknown field '${key}' (known: ${[...known].join(', ')})`);
  }
  for (const [key, [min, max, integer]] of Object.entries(numericFields)) {
    const v = config[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
      const kind = integer ? 'an integer' : 'a number';
      throw new Error(`${source}: ${key} must be ${kind} in [${min}, ${max}], got ${JSON.stringify(v)}`);
    }
  }
  if (config.metric !== 'arcface' && config.metric !== 'cosface') {
    throw new Error(`${source}: metric must be 'arcface' or 'cosface', got ${JSON.stringify(config.metric)}`);
  }
  if (config.loss !== 'focal' && config.loss !== 'cross-entropy') {
    throw new Error(`${source}: loss must be 'focal' or 'cross-entropy', got ${JSON.stringify(config.loss)}`);
  }
  if (typeof config.skipBad !== 'boolean') throw new Error(`${source}: skipBad must be true or false`);
  if ((config.resizeSide as number) < (config.inputSize as number)) {
    throw new Error(`${source}: resizeSide ${config.resizeSide} is smaller than inputSize ${config.inputSize}`);
  }
  validateData(config.data, source);
  return config as unknown as TrainConfig;
}

/** Bounds of a synthetic set: the head holds identities x embeddingSize weights, so 1e9 people cannot fit. */
const maxSyntheticSizes = { identities: 100_000, imagesPerIdentity: 10_000 };

function validateData(data: unknown, source: string): void {
  const d = data as Record<string, unknown> | null;
  if (typeof d !== 'object' || d === null) throw new Error(`${source}: data must be an object`);
  if (d.kind === 'folder') {
    if (typeof d.root !== 'string' || d.root === '') throw new Error(`${source}: data.root must be a folder path`);
    if (d.identities !== undefined && typeof d.identities !== 'string') {
      throw new Error(`${source}: data.identities must be a selection such as 's1..s30'`);
    }
  } else if (d.kind === 'synthetic') {
    for (const [key, max] of Object.entries(maxSyntheticSizes)) {
      const v = d[key];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) {
        throw new Error(`${source}: data.${key} must be an integer in [1, ${max}], got ${JSON.stringify(v)}`);
      }
    }
    if (typeof d.seed !== 'number' || !Number.isInteger(d.seed))
      throw new Error(`${source}: data.seed must be an integer`);
    if (typeof d.variation !== 'number' || !(d.variation >= 0))
      throw new Error(`${source}: data.variation must be >= 0`);
  } else {
    throw new Error(`${source}: data.kind must be 'folder' or 'synthetic', got ${JSON.stringify(d.kind)}`);
  }
}

/**
 * Layers partial configs over the reference recipe defaults for `data` (later layers win, e.g. checkpoint <
 * config file < flags) and validates the result. The margin and the resize side follow the chosen
 * metric and input size unless a layer sets them.
 */
export function mergeTrainConfig(
  data: TrainData,
  layers: readonly Partial<TrainConfig>[],
  source = 'config',
): TrainConfig {
  const merged: Partial<TrainConfig> = Object.assign({}, ...layers);
  const config = { ...defaultTrainConfig(data), ...merged, data };
  if (merged.margin === undefined) config.margin = defaultMargin(config.metric);
  if (merged.resizeSide === undefined) config.resizeSide = defaultResizeSide(config.inputSize);
  return validateTrainConfig(config, source);
}

/** Reads a JSON config file holding some TrainConfig fields (the rest keep their defaults). */
export async function readConfigFile(path: string): Promise<Partial<TrainConfig>> {
  let text: string;
  try {
    if (!(await stat(path)).isFile()) throw new Error('not a regular file');
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(
      `config file ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  return parseConfigText(text, path);
}

/**
 * The settings a config file's text holds, checked only for being a JSON object (the fields are
 * checked once merged, by validateTrainConfig). Errors name `path`.
 */
export function parseConfigText(text: string, path: string): Partial<TrainConfig> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`config file ${path}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`config file ${path}: expected a JSON object of training settings`);
  }
  return parsed as Partial<TrainConfig>;
}
