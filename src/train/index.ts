/** train: the training loop, per-epoch checkpoints and resume, the train config and the demo job. */
export {
  type CheckpointState,
  checkpointPath,
  type LoadedCheckpoint,
  latestCheckpoint,
  loadEmbeddingModel,
  readCheckpoint,
  restoreTrainingParts,
  saveCheckpoint,
  type TrainingParts,
  tensorsWithPrefix,
} from './checkpoint.js';
export {
  type DemoCallbacks,
  type DemoOptions,
  type DemoResult,
  defaultDemoOptions,
  reportFile,
  runDemo,
} from './demo.js';
export { buildFaceModel, buildHead } from './face-model.js';
export {
  defaultMargin,
  defaultResizeSide,
  defaultTrainConfig,
  type LossName,
  type MetricName,
  mergeTrainConfig,
  readConfigFile,
  type TrainConfig,
  type TrainData,
  validateTrainConfig,
} from './train-config.js';
export {
  type BatchProgress,
  configDifferences,
  type EpochSummary,
  openTrainingSource,
  type TrainOptions,
  type TrainResult,
  train,
} from './trainer.js';
