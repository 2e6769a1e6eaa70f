import {
  BatchLoader,
  IdentityFolder,
  type LabeledImageSource,
  missingIdentities,
  parseIdentitySelection,
  SyntheticFaces,
  selectIdentities,
  trainTransform,
} from '../data/index.js';
import { crossEntropy, focalLoss } from '../losses/index.js';
import { BufferPool } from '../memory/index.js';
import type { FaceMobileNet } from '../models/index.js';
import { SGD, StepLR } from '../optim/index.js';
import { Generator, manualSeed, type ProfileReport, profile, type Tensor } from '../tensor/index.js';
import {
  type CheckpointState,
  type LoadedCheckpoint,
  restoreTrainingParts,
  saveCheckpoint,
  type TrainingParts,
} from './checkpoint.js';
import { buildFaceModel, buildHead } from './face-model.js';
import { newestLoadableCheckpoint } from './run-folder.js';
import type { TrainConfig } from './train-config.js';

/** Progress within an epoch, after each batch. */
export interface BatchProgress {
  epoch: number;
  batch: number;
  batches: number;
  /** Mean loss of the epoch so far. */
  loss: number;
  imagesPerSecond: number;
  /** Seconds since the epoch started. */
  elapsedSeconds: number;
}

/** Summary of a completed epoch. */
export interface EpochSummary {
  epoch: number;
  epochs: number;
  loss: number;
  lr: number;
  seconds: number;
  imagesPerSecond: number;
  checkpoint: string;
  skipped: number;
}

/** Options of `train`. */
export interface TrainOptions {
  /** Folder for checkpoints. */
  outDir: string;
  /**
   * Continue from the newest checkpoint in outDir that loads; the config must equal its config
   * except for `epochs`.
   */
  resume?: boolean;
  /** The checkpoint to continue from, when the caller has read it already (implies resume). */
  resumeFrom?: LoadedCheckpoint;
  /** Told of each newer checkpoint that `resume` skipped because it does not load. */
  onNotice?: (message: string) => void;
  /** Stops training between batches; the last complete checkpoint stays as it is. */
  signal?: AbortSignal;
  /** Images, when the caller has them already (otherwise they come from config.data). */
  source?: LabeledImageSource;
  onBatch?: (progress: BatchProgress) => void;
  onEpoch?: (summary: EpochSummary) => void;
  /**
   * Profile one training step (zeroGrad, forward, loss, backward, SGD step) with `profile()`: the
   * second batch of the first epoch run, or the first when an epoch has one batch (the first step
   * also pays one-off costs: worker start-up, kernel compilation). The report is in the result.
   */
  profile?: boolean;
  /** Called once training starts, with the epoch it starts from and the image count. */
  onStart?: (info: { startEpoch: number; images: number; identities: number; resumedFrom: string | null }) => void;
}

/** What `train` returns. */
export interface TrainResult {
  model: FaceMobileNet;
  parts: TrainingParts;
  state: CheckpointState;
  /** True when stopped by the signal before the last epoch. */
  stopped: boolean;
  lastCheckpoint: string | null;
  /** The profiled step's breakdown, when `options.profile` was set and that step ran; else null. */
  profile: ProfileReport | null;
}

/**
 * Opens the training images a config names. Selected identities that the folder lacks are named in
 * a notice (training goes on with the rest); fewer than two identities is an error, since one
 * identity trains to loss 0 and learns nothing.
 */
export async function openTrainingSource(
  config: TrainConfig,
  onNotice?: (message: string) => void,
): Promise<LabeledImageSource> {
  const data = config.data;
  if (data.kind === 'synthetic') {
    return new SyntheticFaces({
      identities: data.identities,
      imagesPerIdentity: data.imagesPerIdentity,
      side: config.resizeSide,
      seed: data.seed,
      variation: data.variation,
    });
  }
  const folder = await IdentityFolder.open(data.root);
  let source: LabeledImageSource = folder;
  if (data.identities) {
    const selection = parseIdentitySelection(data.identities);
    const missing = missingIdentities(folder, selection);
    if (missing.length > 0) {
      onNotice?.(
        `--identities ${data.identities}: ${missing.length} of ${selection.names.size} not in ${data.root} (${missing.join(', ')})`,
      );
    }
    source = selectIdentities(folder, selection);
  }
  if (source.classNames.length < 2) {
    const selected = data.identities ? ` selected by --identities ${data.identities}` : '';
    throw new Error(
      `train: training needs at least two identities; ${data.root}${selected} has ${source.classNames.length} (${source.classNames.join(', ')})`,
    );
  }
  return source;
}

/**
 * The model, head, optimizer and scheduler a config trains, freshly initialised (the model from
 * the global seed, the head from seed + 1); a resume then loads a checkpoint into them.
 */
export function buildTrainingParts(config: TrainConfig, identities: number): TrainingParts {
  const model = buildFaceModel(config.inputSize, config.embeddingSize);
  const head = buildHead(config.metric, config.embeddingSize, identities, {
    scale: config.scale,
    margin: config.margin,
    generator: new Generator(config.seed + 1),
  });
  const optimizer = new SGD([...model.parameters(), ...head.parameters()], {
    lr: config.lr,
    momentum: config.momentum,
    weightDecay: config.weightDecay,
  });
  const scheduler = new StepLR(optimizer, { stepSize: config.lrStep, gamma: config.lrGamma });
  return { model, head, optimizer, scheduler };
}

/**
 * Trains FaceMobileNet with a margin head as the reference recipe does (SGD + StepLR, one scheduler step per
 * epoch), writing a checkpoint after every epoch. Everything random is derived from config.seed
 * (initialisation, order, augmentation), and the kernels are deterministic, so a resumed run ends
 * with the same weights as an uninterrupted one.
 */
export async function train(requested: TrainConfig, options: TrainOptions): Promise<TrainResult> {
  const checkpoint =
    options.resumeFrom ?? (options.resume ? await newestLoadableCheckpoint(options.outDir, options.onNotice) : null);
  const resumePath = checkpoint?.path ?? null;
  if (checkpoint) {
    const changed = configDifferences(checkpoint.state.config, requested).filter((key) => key !== 'epochs');
    if (changed.length > 0) {
      throw new Error(
        `train --resume: ${checkpoint.path} was trained with other settings (${changed.join(', ')}); only epochs may change on resume`,
      );
    }
  }
  const config = requested;
  const source = options.source ?? (await openTrainingSource(config, options.onNotice));
  if (checkpoint && checkpoint.state.classNames.join('\n') !== source.classNames.join('\n')) {
    throw new Error(
      `train --resume: the data has ${source.classNames.length} identities but ${checkpoint.path} was trained on ${checkpoint.state.classNames.length} others`,
    );
  }

  manualSeed(config.seed);
  const parts = buildTrainingParts(config, source.classNames.length);
  const { model, head, optimizer, scheduler } = parts;
  let state: CheckpointState = {
    format: 'arcgrad-checkpoint',
    version: 1,
    epoch: 0,
    config,
    classNames: [...source.classNames],
    losses: [],
    epochSeconds: [],
    scheduler: scheduler.stateDict(),
    optimizer: { hyperparameters: optimizer.stateDict().hyperparameters, hasMomentum: [] },
  };
  if (checkpoint) {
    restoreTrainingParts(checkpoint, parts);
    state = { ...checkpoint.state, config };
  }

  const loader = new BatchLoader(source, {
    transform: trainTransform(config.inputSize, config.resizeSide),
    batchSize: config.batchSize,
    seed: config.seed,
    skipBad: config.skipBad,
    // BatchNorm needs more than one sample per batch; a last batch of one would fail.
    dropLast: source.size % config.batchSize === 1,
  });
  options.onStart?.({
    startEpoch: state.epoch,
    images: source.size,
    identities: source.classNames.length,
    resumedFrom: resumePath,
  });
  const lossOf = (logits: Tensor, labels: Int32Array): Tensor =>
    config.loss === 'focal' ? focalLoss(logits, labels, { gamma: config.gamma }) : crossEntropy(logits, labels);

  let lastCheckpoint = resumePath;
  let report: ProfileReport | null = null;
  const profiledBatch = options.profile ? Math.min(2, loader.batchesPerEpoch) : 0;
  // Every step draws its activations and gradients from the storage the previous step released.
  const buffers = new BufferPool();
  const step = (x: Tensor, labels: Int32Array): number =>
    buffers.run(() => {
      optimizer.zeroGrad();
      const loss = lossOf(head.forward(model.forward(x), labels), labels);
      loss.backward();
      optimizer.step();
      return loss.item();
    });
  model.train();
  head.train();
  for (let epoch = state.epoch; epoch < config.epochs; epoch++) {
    const started = performance.now();
    let lossSum = 0;
    let images = 0;
    let batch = 0;
    for await (const { images: x, labels } of loader.epoch(epoch)) {
      if (options.signal?.aborted) return { model, parts, state, stopped: true, lastCheckpoint, profile: report };
      let value: number;
      if (epoch === state.epoch && batch + 1 === profiledBatch) {
        const profiled = profile(() => step(x, labels));
        report = profiled.report;
        value = profiled.result;
      } else {
        value = step(x, labels);
      }
      if (!Number.isFinite(value)) {
        throw new Error(`train: loss became ${value} at epoch ${epoch + 1} batch ${batch + 1} (try a lower --lr)`);
      }
      lossSum += value * labels.length;
      images += labels.length;
      batch++;
      const elapsedSeconds = (performance.now() - started) / 1000;
      options.onBatch?.({
        epoch,
        batch,
        batches: loader.batchesPerEpoch,
        loss: lossSum / images,
        imagesPerSecond: images / elapsedSeconds,
        elapsedSeconds,
      });
    }
    if (options.signal?.aborted) return { model, parts, state, stopped: true, lastCheckpoint, profile: report };
    if (images === 0) {
      // With --skip-bad an epoch may find nothing readable; its loss would be NaN and its checkpoint a lie.
      throw new Error(
        `train: epoch ${epoch + 1} found no readable image (${loader.skipped.length} skipped, e.g. ${loader.skipped[0] ?? 'none'})`,
      );
    }
    const lr = optimizer.lr;
    scheduler.step();
    const seconds = (performance.now() - started) / 1000;
    state = {
      ...state,
      epoch: epoch + 1,
      losses: [...state.losses, lossSum / images],
      epochSeconds: [...state.epochSeconds, seconds],
    };
    lastCheckpoint = await saveCheckpoint(options.outDir, parts, state);
    options.onEpoch?.({
      epoch,
      epochs: config.epochs,
      loss: lossSum / images,
      lr,
      seconds,
      imagesPerSecond: images / seconds,
      checkpoint: lastCheckpoint,
      skipped: loader.skipped.length,
    });
  }
  return { model, parts, state, stopped: false, lastCheckpoint, profile: report };
}

/** Names of the top-level config fields whose values differ (deep comparison through JSON). */
export function configDifferences(a: TrainConfig, b: TrainConfig): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof TrainConfig>;
  return [...keys].filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]));
}
