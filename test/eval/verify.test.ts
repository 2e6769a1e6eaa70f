import { describe, expect, test } from 'vitest';
import { grayImage, SyntheticFaces } from '../../src/data/index.js';
import { horizontalFlip } from '../../src/data/transforms.js';
import {
  type Calibration,
  calibrate,
  type EmbeddingModel,
  embeddingCosine,
  embedImage,
  embedSource,
  verify,
  verifyIdentities,
} from '../../src/eval/index.js';
import { FaceMobileNet } from '../../src/models/index.js';
import { Tensor } from '../../src/tensor/index.js';

const side = 24;

/**
 * Raw pixels minus their mean as the embedding (cosine = pixel correlation): on synthetic faces with
 * little per-photo variation this separates people, so a decision it makes can be checked.
 */
const pixelModel: EmbeddingModel = {
  inputSize: side,
  forward(images) {
    const count = images.shape[0];
    const length = images.size / count;
    const out = new Float32Array(images.size);
    for (let r = 0; r < count; r++) {
      let mean = 0;
      for (let i = 0; i < length; i++) mean += images.data[r * length + i] / length;
      for (let i = 0; i < length; i++) out[r * length + i] = images.data[r * length + i] - mean;
    }
    return new Tensor(out, [count, length]);
  },
};

const faces = (firstIdentity: number, identities: number, imagesPerIdentity: number) =>
  new SyntheticFaces({ identities, imagesPerIdentity, side, seed: 3, firstIdentity, variation: 0.05 });

async function pixelCalibration(flip = false): Promise<Calibration> {
  const run = await verifyIdentities((x) => pixelModel.forward(x), faces(0, 12, 4), { side, seed: 0 });
  return calibrate(
    run.scores,
    run.pairs.map((p) => p.same),
    { pairs: 'synthetic held-in people', folds: 5, flip },
  );
}

describe('embedImage', () => {
  const model = new FaceMobileNet({ inputSize: 16, embeddingSize: 8, conv10Kernel: 'global' }).eval();
  const image = faces(0, 1, 1).render(0);

  test('is unit length and equals the batch path (embedSource) up to scale, with and without flip', async () => {
    for (const flip of [false, true]) {
      const single = embedImage(model, image, { flip });
      expect(Math.hypot(...single)).toBeCloseTo(1, 6);
      const [batched] = await embedSource((x) => model.forward(x), faces(0, 1, 1), { side: 16, flip });
      expect(embeddingCosine(single, batched)).toBeCloseTo(1, 5);
    }
  });

  test('with flip, an image and its mirror image have the same embedding; without, they differ', () => {
    const mirrored = horizontalFlip(image);
    expect(
      embeddingCosine(embedImage(model, image, { flip: true }), embedImage(model, mirrored, { flip: true })),
    ).toBeCloseTo(1, 5);
    expect(embeddingCosine(embedImage(model, image), embedImage(model, mirrored))).toBeLessThan(0.9999);
  });

  test('a model in training mode is refused (batch norm would use one image as the batch)', () => {
    const training = new FaceMobileNet({ inputSize: 16, embeddingSize: 8, conv10Kernel: 'global' });
    expect(() => embedImage(training, image)).toThrow(
      'embedImage: the model is in training mode; call model.eval() first',
    );
  });
});

describe('verify', () => {
  test('two copies of one image are the same person, at a similarity no impostor reached', async () => {
    const calibration = await pixelCalibration();
    const image = faces(500, 1, 1).render(0);
    const copy = grayImage(image.width, image.height, Float32Array.from(image.pixels));
    const result = verify({ model: pixelModel, calibration }, image, copy);
    expect(result.similarity).toBeCloseTo(1, 6);
    expect(result.same).toBe(true);
    expect(result.far).toBe(0);
    expect(result.operatingPoint).toBe(calibration.best);
  });

  test('on people outside the calibration, every pair of two people is different and every pair of one person same', async () => {
    const calibration = await pixelCalibration();
    expect(calibration.best.kfoldAccuracy).toBeGreaterThan(0.95);
    const unseen = faces(500, 6, 2);
    for (let a = 0; a < unseen.size; a++) {
      for (let b = a + 1; b < unseen.size; b++) {
        const result = verify({ model: pixelModel, calibration }, unseen.render(a), unseen.render(b));
        expect(result.same, `${unseen.describe(a)} vs ${unseen.describe(b)}`).toBe(unseen.label(a) === unseen.label(b));
      }
    }
  });

  test('decides at the operating point asked for, and embeds with flip when the calibration did', async () => {
    const calibration = await pixelCalibration(true);
    const people = faces(500, 2, 1);
    const result = verify({ model: pixelModel, calibration }, people.render(0), people.render(1), { at: 'far=1e-2' });
    expect(result.operatingPoint).toBe(calibration.atFar[0]);
    expect(result.same).toBe(result.similarity >= calibration.atFar[0].threshold);
    const flipped = embeddingCosine(
      embedImage(pixelModel, people.render(0), { flip: true }),
      embedImage(pixelModel, people.render(1), { flip: true }),
    );
    expect(result.similarity).toBeCloseTo(flipped, 6);
  });

  test('a model without calibration, or an operating point not stored, is an error saying what to do', async () => {
    const image = faces(500, 1, 1).render(0);
    expect(() => verify({ model: pixelModel, calibration: null }, image, image)).toThrow(
      'verify: the model has no stored calibration; run `arcgrad test` on a labelled pair list first',
    );
    const calibration = await pixelCalibration();
    expect(() => verify({ model: pixelModel, calibration }, image, image, { at: 'far=0.5' })).toThrow(
      "no operating point 'far=0.5'",
    );
  });
});
