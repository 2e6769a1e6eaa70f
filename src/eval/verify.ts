import type { GrayImage } from '../data/gray-image.js';
import {
  type Calibration,
  type OperatingPoint,
  type OperatingPointName,
  operatingPoint,
  ratesAtScore,
} from './calibration.js';
import { embeddingCosine } from './cosine.js';
import { type EmbeddingModel, embedImage } from './embed-image.js';

/** A model with the calibration stored beside it (what `loadEmbeddingModel` returns). */
export interface CalibratedModel {
  readonly model: EmbeddingModel;
  readonly calibration: Calibration | null;
}

/** Options of `verify`. */
export interface VerifyOptions {
  /** The stored operating point to decide at: `best` (default) or `far=<rate>`, e.g. `far=1e-3`. */
  at?: OperatingPointName;
}

/** The answer to "are these two images the same person?". */
export interface Verification {
  /** Cosine similarity of the two embeddings, in [-1, 1]. */
  readonly similarity: number;
  /** The decision: similarity >= the operating point's threshold. */
  readonly same: boolean;
  readonly at: OperatingPointName;
  /** The operating point decided at, with its FAR and TAR on the calibration pairs. */
  readonly operatingPoint: OperatingPoint;
  /** Share of the calibration's impostor pairs that scored at least this similarity. */
  readonly far: number;
  /** Share of the calibration's genuine pairs that scored at least this similarity. */
  readonly tar: number;
}

/**
 * Decides whether two images show the same person, at an operating point of the model's
 * calibration, and places the similarity among the calibration pairs' scores. The images are
 * embedded as the calibration's were (with flip test-time augmentation if it used it), since a
 * threshold measured on one kind of embedding means nothing for another.
 */
export function verify(
  model: CalibratedModel,
  imageA: GrayImage,
  imageB: GrayImage,
  options: VerifyOptions = {},
): Verification {
  const { calibration } = model;
  if (calibration === null) {
    throw new Error('verify: the model has no stored calibration; run `arcgrad test` on a labelled pair list first');
  }
  const at = options.at ?? 'best';
  const point = operatingPoint(calibration, at);
  const flip = calibration.flip;
  const similarity = embeddingCosine(
    embedImage(model.model, imageA, { flip }),
    embedImage(model.model, imageB, { flip }),
  );
  return {
    similarity,
    same: similarity >= point.threshold,
    at,
    operatingPoint: point,
    ...ratesAtScore(calibration, similarity),
  };
}
