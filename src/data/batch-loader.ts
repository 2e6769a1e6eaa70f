import { Generator, Tensor } from '../tensor/index.js';
import type { GrayImage } from './gray-image.js';
import type { LabeledImageSource } from './image-source.js';
import { mixSeed } from './mix-seed.js';
import { type ImageTransform, normalizeInto } from './transforms.js';

/** One training batch: images [B, 1, S, S] normalised to [-1, 1], their labels and source indices. */
export interface Batch {
  readonly images: Tensor;
  readonly labels: Int32Array;
  readonly indices: Int32Array;
}

/** Options of `BatchLoader`. */
export interface BatchLoaderOptions {
  /** Transform applied to every image (train: flip + resize + crop; test: resize). */
  transform: ImageTransform;
  /** Images per batch (default 64, the reference recipe's). */
  batchSize?: number;
  /** Reshuffle every epoch (default true). */
  shuffle?: boolean;
  /** Seed of the order and the augmentation (default 0). */
  seed?: number;
  /** Drop the last incomplete batch (default false). */
  dropLast?: boolean;
  /** Batches prepared ahead of the one being consumed (default 1). */
  prefetch?: number;
  /** Skip unreadable or corrupt images (counted in `skipped`) instead of throwing (default false). */
  skipBad?: boolean;
  /** Normalisation (default mean 0.5, std 0.5: [0, 1] to [-1, 1]). */
  mean?: number;
  std?: number;
}

/**
 * A seeded, shuffling batch loader. Each epoch's order and each batch's augmentation come from
 * generators derived from (seed, epoch, batch), so epoch k is the same whether or not training was
 * resumed, and however far the prefetch ran ahead. The next batches are read and decoded while the
 * caller trains on the current one: file reads run on libuv's thread pool, off the training thread.
 */
export class BatchLoader {
  readonly batchSize: number;
  private readonly options: Required<Omit<BatchLoaderOptions, 'batchSize'>>;
  private readonly skippedSet = new Set<string>();

  constructor(
    readonly source: LabeledImageSource,
    options: BatchLoaderOptions,
  ) {
    this.batchSize = options.batchSize ?? 64;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new Error(`BatchLoader: batchSize must be a positive integer, got ${options.batchSize}`);
    }
    if (source.size === 0) throw new Error('BatchLoader: the image source is empty');
    this.options = {
      transform: options.transform,
      shuffle: options.shuffle ?? true,
      seed: options.seed ?? 0,
      dropLast: options.dropLast ?? false,
      prefetch: Math.max(0, Math.floor(options.prefetch ?? 1)),
      skipBad: options.skipBad ?? false,
      mean: options.mean ?? 0.5,
      std: options.std ?? 0.5,
    };
    if (this.options.dropLast && source.size < this.batchSize) {
      throw new Error(
        `BatchLoader: dropLast with batchSize ${this.batchSize} leaves no batch from ${source.size} images`,
      );
    }
  }

  /** Batches in one epoch. */
  get batchesPerEpoch(): number {
    const n = this.source.size;
    return this.options.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** Images skipped so far as unreadable (with `skipBad`), each named once. */
  get skipped(): readonly string[] {
    return [...this.skippedSet];
  }

  /** The image order of an epoch (a seeded permutation, or 0..n-1 without shuffle). */
  epochOrder(epoch: number): Int32Array {
    const order = Array.from({ length: this.source.size }, (_, i) => i);
    if (this.options.shuffle) new Generator(mixSeed(this.options.seed, epoch, 0x5eed)).shuffle(order);
    return Int32Array.from(order);
  }

  /** Iterates the batches of `epoch`, keeping `prefetch` batches in flight ahead of the caller. */
  async *epoch(epoch: number): AsyncGenerator<Batch> {
    const order = this.epochOrder(epoch);
    const count = this.batchesPerEpoch;
    const pending: Promise<Batch | null>[] = [];
    let next = 0;
    const launch = (): void => {
      const batchIndex = next++;
      const promise = this.loadBatch(
        order.subarray(batchIndex * this.batchSize, (batchIndex + 1) * this.batchSize),
        epoch,
        batchIndex,
      );
      // Mark as handled now: a prefetched batch may fail before it is awaited, which must not crash the process.
      promise.catch(() => undefined);
      pending.push(promise);
    };
    while (next < count && pending.length <= this.options.prefetch) launch();
    while (pending.length > 0) {
      const batch = await pending.shift()!;
      if (next < count) launch();
      if (batch !== null) yield batch;
    }
  }

  private async loadBatch(indices: Int32Array, epoch: number, batchIndex: number): Promise<Batch | null> {
    const images = await Promise.all(Array.from(indices, (index) => this.loadOne(index)));
    const random = new Generator(mixSeed(this.options.seed, epoch, batchIndex + 1));
    const side = this.options.transform.outputSide;
    const kept: number[] = [];
    images.forEach((image, i) => {
      if (image !== null) kept.push(i);
    });
    if (kept.length === 0) return null;
    const data = new Float32Array(kept.length * side * side);
    const labels = new Int32Array(kept.length);
    const keptIndices = new Int32Array(kept.length);
    kept.forEach((i, row) => {
      const out = this.options.transform.apply(images[i] as GrayImage, random);
      normalizeInto(out, data, row * side * side, this.options.mean, this.options.std);
      labels[row] = this.source.label(indices[i]);
      keptIndices[row] = indices[i];
    });
    return { images: new Tensor(data, [kept.length, 1, side, side]), labels, indices: keptIndices };
  }

  private async loadOne(index: number): Promise<GrayImage | null> {
    try {
      return await this.source.load(index);
    } catch (error) {
      if (!this.options.skipBad) throw error;
      this.skippedSet.add(this.source.describe(index));
      return null;
    }
  }
}
