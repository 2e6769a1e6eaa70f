import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { defaultTrainConfig, train } from '../../src/train/index.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('train with skipBad', () => {
  test('an epoch in which every image is unreadable is an error, not a NaN-loss checkpoint', async () => {
    const root = tempDir('skip-bad');
    for (const name of ['a', 'b']) {
      await mkdir(join(root, name));
      await writeFile(join(root, name, '1.pgm'), 'P5\n100000 100000\n255\n');
    }
    const config = {
      ...defaultTrainConfig({ kind: 'folder', root }),
      inputSize: 16,
      resizeSide: 18,
      embeddingSize: 8,
      batchSize: 2,
      epochs: 1,
      skipBad: true,
    };
    await expect(train(config, { outDir: join(root, 'run') })).rejects.toThrow(
      /^train: epoch 1 found no readable image \(2 skipped, e\.g\. .*1\.pgm/,
    );
  });
});
