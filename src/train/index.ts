/** train: the training loop, per-epoch checkpoints and resume, the train config and the demo job. */
export {
  calibrationFromMetadata,
  calibrationMetadataKey,
  readCalibration,
  storeCalibration,
} from './calibration-store.js';
export {
  type CheckpointState,
  checkpointPath,
  type LoadedCheckpoint,
  type LoadedEmbeddingModel,
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
export { type DemoVerification, type DemoVerifyOptions, verifyDemoPairs } from './demo-verify.js';
export { buildFaceModel, buildHead } from './face-model.js';
export { resolveTrainConfig, type TrainRequest } from './resolve-train-config.js';
export {
  lockFileName,
  newestLoadableCheckpoint,
  openRunFolder,
  type RunFolder,
  type RunFolderOptions,
} from './run-folder.js';
export {
  defaultMargin,
  defaultResizeSide,
  defaultSyntheticSizes,
  defaultTrainConfig,
  definedFields,
  type LossName,
  type MetricName,
  maxEmbeddingSize,
  maxInputSize,
  mergeTrainConfig,
  parseConfigText,
  readConfigFile,
  type SyntheticSizes,
  syntheticTrainData,
  type TrainConfig,
  type TrainData,
  validateTrainConfig,
} from './train-config.js';
export {
  type BatchProgress,
  buildTrainingParts,
  configDifferences,
  type EpochSummary,
  openTrainingSource,
  type TrainOptions,
  type TrainResult,
  train,
} from './trainer.js';
export { type ValidatedCheckpointState, validateCheckpointState } from './validate-checkpoint-state.js';
