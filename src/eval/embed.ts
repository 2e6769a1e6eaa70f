import { BatchLoader } from '../data/batch-loader.js';
import type { LabeledImageSource } from '../data/image-source.js';
import { testTransform } from '../data/transforms.js';
import { BufferPool } from '../memory/index.js';
import type { Tensor } from '../tensor/index.js';
import { embeddingCosine } from './cosine.js';
import { mirrorImages } from './mirror-images.js';
import type { VerificationPair } from './pairs.js';

/** Maps a batch of images [B, 1, S, S] to embeddings [B, D]; the caller sets eval mode and no-grad. */
export type EmbeddingFunction = (images: Tensor) => Tensor;

/** Options of `embedSource`. */
export interface EmbedOptions {
  /** The model's input side: images are resized to it (the reference recipe's test transform). */
  side: number;
  /** Images per forward pass (default 64, as the reference recipe). */
  batchSize?: number;
  /** Flip test-time augmentation: each embedding is the image's plus its mirror image's. */
  flip?: boolean;
  /** Called after each batch with the number of images embedded so far. */
  onProgress?: (done: number, total: number) => void;
}

/** Embeds every image of a source, in order: one Float32Array of length D per image. */
export async function embedSource(
  embed: EmbeddingFunction,
  source: LabeledImageSource,
  options: EmbedOptions,
): Promise<Float32Array[]> {
  const loader = new BatchLoader(source, {
    transform: testTransform(options.side),
    batchSize: options.batchSize ?? 64,
    shuffle: false,
  });
  const out: Float32Array[] = new Array(source.size);
  // Each batch's activations go back to the pool once its embeddings are copied out.
  const buffers = new BufferPool();
  let done = 0;
  for await (const batch of loader.epoch(0)) {
    const rows = buffers.run(() => {
      const embeddings = checkedEmbeddings(embed(batch.images), batch.labels.length);
      const [count, dims] = embeddings.shape;
      for (let r = 0; r < count; r++)
        out[batch.indices[r]] = Float32Array.from(embeddings.data.subarray(r * dims, (r + 1) * dims));
      if (options.flip) {
        const mirrored = checkedEmbeddings(embed(mirrorImages(batch.images)), count);
        for (let r = 0; r < count; r++) {
          const row = out[batch.indices[r]];
          for (let d = 0; d < dims; d++) row[d] += mirrored.data[r * dims + d];
        }
      }
      return count;
    });
    done += rows;
    options.onProgress?.(done, source.size);
  }
  return out;
}

/** The model's output for `images` images, checked to be one embedding row per image. */
function checkedEmbeddings(embeddings: Tensor, images: number): Tensor {
  if (embeddings.ndim !== 2 || embeddings.shape[0] !== images) {
    throw new Error(
      `embedSource: the model returned shape [${embeddings.shape.join(', ')}] for ${images} images, expected [${images}, D]`,
    );
  }
  return embeddings;
}

/** Cosine similarity of each pair; `lookup` returns a name's embedding. Names it lacks are an error. */
export function scorePairs(
  pairs: readonly VerificationPair[],
  lookup: ReadonlyMap<string, ArrayLike<number>>,
): { scores: Float64Array; same: boolean[] } {
  const scores = new Float64Array(pairs.length);
  const same: boolean[] = [];
  pairs.forEach((pair, i) => {
    const a = lookup.get(pair.first);
    const b = lookup.get(pair.second);
    if (!a || !b)
      throw new Error(
        `scorePairs: pair ${i + 1} names an image without an embedding: '${a ? pair.second : pair.first}'`,
      );
    scores[i] = embeddingCosine(a, b);
    same.push(pair.same);
  });
  return { scores, same };
}
