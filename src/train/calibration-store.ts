import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../data/index.js';
import { type Calibration, parseCalibration } from '../eval/index.js';
import { readSafetensors, setSafetensorsMetadata } from '../io/index.js';

/** The metadata key of a model file that holds its calibration (beside `arcgrad`, the training state). */
export const calibrationMetadataKey = 'arcgrad-calibration';

/**
 * Stores a calibration in a model file's metadata, leaving its tensors and other metadata as they
 * were. The new file is renamed into place, so a reader sees the old file or the new one, never half.
 */
export async function storeCalibration(path: string, calibration: Calibration): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(`storeCalibration: cannot read model file ${path} (${(error as NodeJS.ErrnoException).code})`);
  }
  let updated: Uint8Array;
  try {
    updated = setSafetensorsMetadata(bytes, { [calibrationMetadataKey]: JSON.stringify(calibration) });
  } catch (error) {
    throw new Error(`storeCalibration: model file ${path}: ${(error as Error).message}`);
  }
  await writeFileAtomic(path, updated);
}

/** The calibration in a model file's metadata, or null when it has none. */
export function calibrationFromMetadata(
  metadata: Readonly<Record<string, string>>,
  source: string,
): Calibration | null {
  const text = metadata[calibrationMetadataKey];
  return text === undefined ? null : parseCalibration(text, source);
}

/** Reads the calibration stored in a model file, or null when it has none. */
export function readCalibration(path: string): Calibration | null {
  return calibrationFromMetadata(readSafetensors(path).metadata, `model file ${path}`);
}
