/** io: safetensors files, for weights that move between PyTorch and arcgrad. */

export {
  loadSafetensors,
  maxSafetensorsEntries,
  type ParseSafetensorsOptions,
  parseSafetensors,
  pytorchDTypes,
  readSafetensors,
  type SafetensorsContents,
  type SafetensorsDType,
  type SaveSafetensorsOptions,
  saveSafetensors,
  serializeSafetensors,
  type TensorDict,
} from './safetensors.js';
export { setSafetensorsMetadata } from './set-metadata.js';
