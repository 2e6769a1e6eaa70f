import { ArcFace, CosFace } from '../heads/index.js';
import { FaceMobileNet, faceMobileNetGeometry } from '../models/index.js';
import type { Generator } from '../tensor/index.js';
import type { MetricName } from './train-config.js';

/**
 * FaceMobileNet for an input side: the reference recipe's 7x7 conv10 from 112 px up (so the reference recipe's weights
 * load), and below that a global depthwise conv10 as large as the final feature map.
 */
export function buildFaceModel(inputSize: number, embeddingSize: number): FaceMobileNet {
  return new FaceMobileNet({ inputSize, embeddingSize, conv10Kernel: conv10KernelFor(inputSize) });
}

function conv10KernelFor(inputSize: number): 7 | 'global' {
  return inputSize >= 112 ? 7 : 'global';
}

/**
 * The shape of the built model's `linear.weight`, [embeddingSize, 512 x side x side]: the one
 * layer whose size grows with the sizes asked for. A file that holds this tensor bounds what
 * building the model allocates; one that does not is refused before a model is built.
 */
export function faceModelLinearShape(inputSize: number, embeddingSize: number): number[] {
  const { outputSide } = faceMobileNetGeometry(inputSize, conv10KernelFor(inputSize));
  return [embeddingSize, 512 * outputSide * outputSide];
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
