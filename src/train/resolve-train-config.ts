import type { LoadedCheckpoint } from './checkpoint.js';
import {
  definedFields,
  mergeTrainConfig,
  readConfigFile,
  type SyntheticSizes,
  syntheticTrainData,
  type TrainConfig,
  type TrainData,
} from './train-config.js';

/** What a caller asks of a run; every field may be absent and then falls through to the next layer. */
export interface TrainRequest {
  /** An identity folder (one sub-folder per person), or 'synthetic'. */
  data?: string;
  /** Identities of the folder to use, e.g. 's1..s30'. */
  identities?: string;
  /** Sizes of the synthetic set when `data` is 'synthetic' (default `defaultSyntheticSizes`). */
  synthetic?: Partial<SyntheticSizes>;
  /** A JSON file of TrainConfig fields. */
  configFile?: string;
  /** Settings given explicitly (command-line flags); they win over every other layer. */
  settings?: Partial<Omit<TrainConfig, 'data'>>;
  /** The checkpoint a resumed run continues: its config is the layer just above the defaults. */
  checkpoint?: LoadedCheckpoint | null;
}

/**
 * Builds a run's config from layers, later winning: the reference recipe's defaults < the resumed
 * checkpoint's config < the config file < explicit settings. The data source follows the same
 * order (`request.data`, else the file's, else the checkpoint's); a synthetic set takes its seed from
 * the resolved `seed`. Errors name the layer and the field.
 */
export async function resolveTrainConfig(request: TrainRequest): Promise<TrainConfig> {
  const fromFile: Partial<TrainConfig> = request.configFile ? await readConfigFile(request.configFile) : {};
  const fromCheckpoint: Partial<TrainConfig> = request.checkpoint?.state.config ?? {};
  const settings = definedFields(request.settings ?? {});
  const layers = [fromCheckpoint, fromFile, settings];
  const seed = settings.seed ?? fromFile.seed ?? fromCheckpoint.seed ?? 0;
  const source = request.configFile ? `config (${request.configFile} and flags)` : 'config';
  return mergeTrainConfig(requestedData(request, fromFile.data ?? fromCheckpoint.data, seed), layers, source);
}

function requestedData(request: TrainRequest, fallback: TrainData | undefined, seed: number): TrainData {
  if (request.data === undefined) {
    if (fallback) return fallback;
    throw new Error("missing --data: an identity folder (one sub-folder per person) or 'synthetic'");
  }
  if (request.data === 'synthetic') return syntheticTrainData(request.synthetic ?? {}, seed);
  return { kind: 'folder', root: request.data, ...(request.identities ? { identities: request.identities } : {}) };
}
