import { ArcFace, CosFace } from '../heads/index.js';
import { FaceMobileNet } from '../models/index.js';
import type { Generator } from '../tensor/index.js';
import type { MetricName } from './train-config.js';

/**
 * FaceMobileNet for an input side: the reference recipe's 7x7 conv10 from 112 px up (so the reference recipe's weights
 * load), and below that a global depthwise conv10 as large as the final feature map.
 */
export function buildFaceModel(inputSize: number, embeddingSize: number): FaceMobileNet {
  return new FaceMobileNet({ inputSize, embeddingSize, conv10Kernel: inputSize >= 112 ? 7 : 'global' });
}

/** A margin head over `classes` identities. */
export function buildHead(
  metric: MetricName,
  embeddingSize: number,
  classes: number,
  options: { scale: number; margin: number; generator?: Generator },
): ArcFace | CosFace {
  const headOptions = { s: options.scale, m: options.margin, generator: options.generator };
  return metric === 'arcface'
    ? new ArcFace(embeddingSize, classes, headOptions)
    : new CosFace(embeddingSize, classes, headOptions);
}
