import type { LabeledImageSource } from '../data/image-source.js';
import { type EmbeddingFunction, embedSource, scorePairs } from './embed.js';
import { type MakePairsOptions, makeVerificationPairs, type VerificationPair } from './pairs.js';
import { type VerificationReport, verificationReport } from './report.js';

/** Options of `verifyIdentities`. */
export interface VerifyIdentitiesOptions extends MakePairsOptions {
  /** The model's input side. */
  side: number;
  batchSize?: number;
  /** Called after each embedded batch with images done and total. */
  onProgress?: (done: number, total: number) => void;
}

/** The pairs, their scores and the report of a verification run. */
export interface VerificationRun {
  pairs: VerificationPair[];
  scores: Float64Array;
  report: VerificationReport;
}

/**
 * Verification on the identities of a labelled source (for held-out people): embed every image,
 * pair every genuine pair with a seeded sample of impostors (balanced by default), score by cosine
 * similarity and report.
 */
export async function verifyIdentities(
  embed: EmbeddingFunction,
  source: LabeledImageSource,
  options: VerifyIdentitiesOptions,
): Promise<VerificationRun> {
  const embeddings = await embedSource(embed, source, options);
  const names = Array.from({ length: source.size }, (_, i) => source.describe(i));
  const labels = Array.from({ length: source.size }, (_, i) => source.label(i));
  const pairs = makeVerificationPairs(names, labels, options);
  const { scores, same } = scorePairs(pairs, new Map(names.map((name, i) => [name, embeddings[i]])));
  return { pairs, scores, report: verificationReport(scores, same) };
}
