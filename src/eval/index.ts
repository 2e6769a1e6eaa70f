/** eval: LFW-style verification (pairs, threshold search, k-fold, ROC), embeddings and SVG plots. */
export {
  type CalibrateOptions,
  type Calibration,
  calibrate,
  type FarOperatingPoint,
  fractionAtLeast,
  type OperatingPoint,
  type OperatingPointName,
  operatingPoint,
  ratesAtScore,
} from './calibration.js';
export { embeddingCosine } from './cosine.js';
export { type EmbeddingFunction, type EmbedOptions, embedSource, scorePairs } from './embed.js';
export { type EmbeddingModel, type EmbedImageOptions, embedImage } from './embed-image.js';
export { type KFoldResult, kFoldAccuracy, kFoldAssignment } from './kfold.js';
export { l2Normalize } from './l2-normalize.js';
export { mirrorImages } from './mirror-images.js';
export {
  formatPairList,
  type MakePairsOptions,
  makeVerificationPairs,
  parsePairList,
  type VerificationPair,
} from './pairs.js';
export { parseCalibration } from './parse-calibration.js';
export { arcfaceMarginSvg, lossCurveSvg, rocCurveSvg } from './plots.js';
export {
  formatVerificationReport,
  reportSummary,
  type VerificationReport,
  verificationReport,
} from './report.js';
export { type RocCurve, rocAuc, rocCurve, type TarAtFar, tarAtFar } from './roc.js';
export { type ChartBand, type ChartSeries, type LineChart, lineChartSvg } from './svg.js';
export { accuracyAtThreshold, bestThreshold, checkScores, type ThresholdResult } from './threshold.js';
export { type CalibratedModel, type Verification, type VerifyOptions, verify } from './verify.js';
export { type VerificationRun, type VerifyIdentitiesOptions, verifyIdentities } from './verify-identities.js';
