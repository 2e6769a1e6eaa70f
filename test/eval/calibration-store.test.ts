import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { calibrate } from '../../src/eval/index.js';
import { pytorchDTypes, readSafetensors, saveSafetensors } from '../../src/io/index.js';
import { buildFaceModel, loadEmbeddingModel, readCalibration, storeCalibration } from '../../src/train/index.js';
import { tempDir } from '../helpers/temp-dir.js';

const calibration = calibrate(
  [0.9, 0.8, 0.7, 0.4, 0.3, 0.85, 0.2, 0.1, 0.5, 0.6],
  Array(10)
    .fill(false)
    .map((_, i) => i < 5),
  {
    pairs: 'pairs.txt',
    folds: 2,
  },
);

/** A small model saved as plain weights, num_batches_tracked as int64 like PyTorch. */
function savedModel(): { path: string; bytes: Buffer } {
  const path = join(tempDir('calibration'), 'model.safetensors');
  const state = buildFaceModel(16, 4).stateDict();
  saveSafetensors(path, state, { dtypes: pytorchDTypes(state), metadata: { note: 'kept' } });
  return { path, bytes: readFileSync(path) };
}

/** The data section of a safetensors file: everything after the header. */
function dataSection(bytes: Uint8Array): Uint8Array {
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  return bytes.subarray(8 + headerLength);
}

describe('calibration stored with the model', () => {
  test('reads back equal, beside the other metadata, with every tensor byte unchanged', async () => {
    const { path, bytes } = savedModel();
    expect(readCalibration(path)).toBeNull();
    await storeCalibration(path, calibration);
    expect(readCalibration(path)).toEqual(calibration);
    const after = readFileSync(path);
    expect(Buffer.compare(dataSection(after), dataSection(bytes))).toBe(0);
    const contents = readSafetensors(path);
    expect(contents.metadata.note).toBe('kept');
    const loaded = loadEmbeddingModel(path, { inputSize: 16 });
    expect(loaded.calibration).toEqual(calibration);
  });

  test('storing again replaces the calibration instead of adding a second one', async () => {
    const { path } = savedModel();
    await storeCalibration(path, calibration);
    const again = calibrate([0.9, 0.1, 0.8, 0.2], [true, false, true, false], { pairs: 'other.txt', folds: 2 });
    await storeCalibration(path, again);
    expect(readCalibration(path)?.pairs).toBe('other.txt');
  });

  test('a missing or damaged model file is an error naming it', async () => {
    const dir = tempDir('calibration');
    await expect(storeCalibration(join(dir, 'none.safetensors'), calibration)).rejects.toThrow(
      `storeCalibration: cannot read model file ${join(dir, 'none.safetensors')} (ENOENT)`,
    );
    const { path } = savedModel();
    writeFileSync(path, readFileSync(path).subarray(0, 100));
    await expect(storeCalibration(path, calibration)).rejects.toThrow(
      `storeCalibration: model file ${path}: safetensors:`,
    );
  });
});
