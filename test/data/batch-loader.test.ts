import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  type Batch,
  BatchLoader,
  IdentityFolder,
  SyntheticFaces,
  testTransform,
  trainTransform,
} from '../../src/data/index.js';
import { tempDir } from '../helpers/temp-dir.js';

const faces = new SyntheticFaces({ identities: 3, imagesPerIdentity: 5, side: 12, seed: 4 });

async function collect(loader: BatchLoader, epoch: number): Promise<Batch[]> {
  const batches: Batch[] = [];
  for await (const batch of loader.epoch(epoch)) batches.push(batch);
  return batches;
}

describe('BatchLoader', () => {
  test('an epoch visits every image once in batches of [B, 1, S, S] with matching labels', async () => {
    const loader = new BatchLoader(faces, { transform: trainTransform(10), batchSize: 4, seed: 1 });
    const batches = await collect(loader, 0);
    expect(batches.map((b) => b.images.shape)).toEqual([...Array(3).fill([4, 1, 10, 10]), [3, 1, 10, 10]]);
    const seen = batches.flatMap((b) => Array.from(b.indices)).sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 15 }, (_, i) => i));
    for (const batch of batches) {
      for (const [row, index] of batch.indices.entries()) expect(batch.labels[row]).toBe(faces.label(index));
    }
    for (const value of batches[0].images.data) expect(Math.abs(value)).toBeLessThanOrEqual(1);
  });

  test('the same seed and epoch give the same batches; another epoch a different order', async () => {
    const make = () => new BatchLoader(faces, { transform: trainTransform(10), batchSize: 4, seed: 1, prefetch: 2 });
    const [a, b] = [await collect(make(), 2), await collect(make(), 2)];
    expect(a.map((x) => Array.from(x.images.data))).toEqual(b.map((x) => Array.from(x.images.data)));
    expect(Array.from(make().epochOrder(2))).not.toEqual(Array.from(make().epochOrder(3)));
  });

  test('without shuffle, order is 0..n-1 and dropLast drops the short batch', async () => {
    const loader = new BatchLoader(faces, {
      transform: testTransform(12),
      batchSize: 4,
      shuffle: false,
      dropLast: true,
    });
    expect(loader.batchesPerEpoch).toBe(3);
    expect(Array.from((await collect(loader, 0))[1].indices)).toEqual([4, 5, 6, 7]);
  });

  test('a corrupt file fails the epoch naming the file; with skipBad it is skipped and counted', async () => {
    const root = tempDir('loader');
    for (const identity of ['a', 'b']) {
      await mkdir(join(root, identity));
      for (const n of [1, 2]) await writeFile(join(root, identity, `${n}.pgm`), `P2 2 2 9 1 2 3 ${n}\n`);
    }
    await writeFile(join(root, 'b', '3.pgm'), 'P5\n2 2\n255\n\x01');
    const folder = await IdentityFolder.open(root);
    const strict = new BatchLoader(folder, { transform: testTransform(2), batchSize: 2, prefetch: 3 });
    await expect(collect(strict, 0)).rejects.toThrow(`${join(root, 'b', '3.pgm')}: truncated raster`);
    const lenient = new BatchLoader(folder, { transform: testTransform(2), batchSize: 2, skipBad: true });
    const batches = await collect(lenient, 0);
    expect(batches.reduce((n, b) => n + b.labels.length, 0)).toBe(4);
    expect(lenient.skipped).toEqual([join(root, 'b', '3.pgm')]);
  });

  test('bad options are rejected', () => {
    expect(() => new BatchLoader(faces, { transform: testTransform(12), batchSize: 0 })).toThrow(
      'BatchLoader: batchSize must be a positive integer, got 0',
    );
    expect(() => new BatchLoader(faces, { transform: testTransform(12), batchSize: 64, dropLast: true })).toThrow(
      'leaves no batch from 15 images',
    );
  });
});
