import { Generator } from '../tensor/index.js';
import type { FaceIdentity, FaceVariation } from './face-traits.js';
import type { GrayImage } from './gray-image.js';
import { checkIndex, type LabeledImageSource } from './image-source.js';
import { mixSeed } from './mix-seed.js';
import { renderFace } from './synthetic-face-renderer.js';

const between = (random: Generator, low: number, high: number): number => low + (high - low) * random.uniform();

/** Draws a random identity. */
export function sampleFaceIdentity(random: Generator): FaceIdentity {
  const faceWidth = between(random, 0.5, 0.66);
  const faceHeight = between(random, 0.68, 0.84);
  const moles: [number, number, number][] = [];
  const moleCount = Math.floor(between(random, 0, 3.5));
  for (let i = 0; i < moleCount; i++) {
    moles.push([
      between(random, -0.6, 0.6) * faceWidth,
      between(random, -0.3, 0.7) * faceHeight,
      between(random, 0.018, 0.035),
    ]);
  }
  const skinTone = between(random, 0.45, 0.85);
  // Hair contrasts with the skin either way: dark hair on light skin is common, light hair on dark skin rarer.
  const hairTone = random.uniform() < 0.75 ? between(random, 0.04, 0.35) : between(random, 0.55, 0.95);
  return {
    faceWidth,
    faceHeight,
    jaw: between(random, 0.1, 0.5),
    skinTone,
    textureAmount: between(random, 0, 0.08),
    textureScale: between(random, 8, 22),
    textureSeed: random.nextUint32(),
    hairTone,
    hairline: between(random, -0.75, -0.35) * faceHeight,
    hairParting: between(random, -0.35, 0.35),
    hairVolume: between(random, 0.02, 0.2),
    hairLength: random.uniform() < 0.35 ? between(random, 0.3, 0.95) : between(random, -0.25, 0.1),
    eyeY: between(random, -0.24, -0.08),
    eyeSpacing: between(random, 0.19, 0.3),
    eyeWidth: between(random, 0.07, 0.11),
    eyeAspect: between(random, 0.38, 0.62),
    irisTone: between(random, 0.05, 0.45),
    browGap: between(random, 0.07, 0.14),
    browThickness: between(random, 0.018, 0.045),
    browTilt: between(random, -0.35, 0.35),
    browArch: between(random, 0, 0.05),
    browTone: between(random, 0.05, 0.45),
    noseLength: between(random, 0.16, 0.3),
    noseWidth: between(random, 0.06, 0.12),
    mouthY: between(random, 0.3, 0.48),
    mouthWidth: between(random, 0.14, 0.26),
    lipThickness: between(random, 0.018, 0.045),
    lipTone: between(random, 0.55, 0.85),
    beard: random.uniform() < 0.25 ? between(random, 0.3, 0.8) : 0,
    glasses: random.uniform() < 0.2,
    moles,
  };
}

/** Draws a random photo condition; `strength` (0..1.5) scales every change (0 gives the canonical photo). */
export function sampleFaceVariation(random: Generator, strength = 1): FaceVariation {
  const s = strength;
  const centred = (amount: number): number => (random.uniform() * 2 - 1) * amount * s;
  return {
    roll: centred(0.14),
    scale: 1 + centred(0.07),
    shiftX: centred(0.06),
    shiftY: centred(0.05),
    yaw: centred(0.35),
    pitch: centred(0.15),
    lightAngle: centred(1.1),
    lightStrength: 0.35 + centred(0.2),
    ambient: 0.72 + centred(0.1),
    contrast: 1 + centred(0.2),
    brightness: centred(0.08),
    smile: 0.2 + centred(0.6),
    mouthOpen: Math.max(0, centred(0.8)),
    eyeOpen: Math.min(1, 0.95 + centred(0.45)),
    browRaise: centred(0.03),
    gazeX: centred(0.4),
    background: 0.15 + random.uniform() * 0.5 * Math.min(1, s + 0.2),
    backgroundGradient: centred(0.15),
    clothingTone: 0.1 + random.uniform() * 0.7,
    noise: 0.01 + 0.03 * random.uniform() * s,
    noiseSeed: random.nextUint32(),
  };
}

/** Options of `SyntheticFaces`. */
export interface SyntheticFacesOptions {
  /** Number of identities. */
  identities: number;
  /** Photos per identity. */
  imagesPerIdentity: number;
  /** Output side in pixels (the model's input side). */
  side: number;
  /** Seed of the whole population (default 0). */
  seed?: number;
  /** Index of the first identity: disjoint ranges give disjoint people (held-out identities). */
  firstIdentity?: number;
  /** Scale of the per-photo variation (default 1). */
  variation?: number;
}

/**
 * A built-in face dataset: deterministic identities (the same seed and index give the same person
 * on every machine) photographed under varying pose, light, expression and noise. Images are
 * rendered on demand and cached.
 */
export class SyntheticFaces implements LabeledImageSource {
  readonly classNames: readonly string[];
  readonly identities: readonly FaceIdentity[];
  private readonly options: Required<SyntheticFacesOptions>;
  private readonly cache = new Map<number, GrayImage>();

  constructor(options: SyntheticFacesOptions) {
    for (const key of ['identities', 'imagesPerIdentity', 'side'] as const) {
      const value = options[key];
      if (!Number.isInteger(value) || value < 1)
        throw new Error(`SyntheticFaces: ${key} must be a positive integer, got ${value}`);
    }
    this.options = { seed: 0, firstIdentity: 0, variation: 1, ...options };
    const { seed, firstIdentity, identities } = this.options;
    this.identities = Array.from({ length: identities }, (_, i) =>
      sampleFaceIdentity(new Generator(mixSeed(seed, firstIdentity + i, 1))),
    );
    this.classNames = this.identities.map((_, i) => `synthetic-${firstIdentity + i}`);
  }

  get size(): number {
    return this.options.identities * this.options.imagesPerIdentity;
  }

  label(index: number): number {
    return Math.floor(checkIndex(index, this.size) / this.options.imagesPerIdentity);
  }

  describe(index: number): string {
    return `${this.classNames[this.label(index)]}/${index % this.options.imagesPerIdentity}`;
  }

  /** The photo synchronously (the renderer is pure computation). */
  render(index: number): GrayImage {
    const cached = this.cache.get(index);
    if (cached) return cached;
    const { seed, firstIdentity, imagesPerIdentity, variation, side } = this.options;
    const label = this.label(index);
    const random = new Generator(mixSeed(seed, firstIdentity + label, 2 + (index % imagesPerIdentity)));
    const image = renderFace(this.identities[label], sampleFaceVariation(random, variation), side);
    this.cache.set(index, image);
    return image;
  }

  load(index: number): Promise<GrayImage> {
    return Promise.resolve(this.render(index));
  }
}
