import { join } from 'node:path';
import { encodePng, readImageFile, SyntheticFaces, writeFileAtomic } from '../data/index.js';
import { type Calibration, type Verification, verify } from '../eval/index.js';
import { storeCalibration } from './calibration-store.js';
import { loadEmbeddingModel } from './checkpoint.js';

/** One pair the demo verifies at the end: two image files and the truth about them. */
export interface DemoVerification {
  imageA: string;
  imageB: string;
  samePerson: boolean;
  result: Verification;
}

/** What `verifyDemoPairs` needs: where to write, the people's seed and looks, and the model file. */
export interface DemoVerifyOptions {
  folder: string;
  side: number;
  seed: number;
  variation: number;
  /** First identity index of the two people drawn; outside training and calibration people. */
  firstIdentity: number;
}

/**
 * The end of the demo, the loop from training to a yes/no answer: store the held-out calibration in
 * the checkpoint, then, as `arcgrad verify` would, load it and ask about two photos of one person and
 * two of different people. The photos are written as PNG and read back, so that the same command
 * run on those files gives the same answer.
 */
export async function verifyDemoPairs(
  checkpoint: string,
  calibration: Calibration,
  options: DemoVerifyOptions,
): Promise<DemoVerification[]> {
  await storeCalibration(checkpoint, calibration);
  const people = new SyntheticFaces({
    identities: 2,
    imagesPerIdentity: 2,
    side: options.side,
    seed: options.seed,
    firstIdentity: options.firstIdentity,
    variation: options.variation,
  });
  const files = ['a-1.png', 'a-2.png', 'b-1.png'].map((name) => join(options.folder, name));
  // Indices 0 and 1 are person a's two photos, 2 is person b's first.
  await Promise.all(files.map((file, i) => writeFileAtomic(file, encodePng(people.render(i)))));
  const [a1, a2, b1] = await Promise.all(files.map((file) => readImageFile(file)));
  const loaded = loadEmbeddingModel(checkpoint);
  return [
    { imageA: files[0], imageB: files[1], samePerson: true, result: verify(loaded, a1, a2) },
    { imageA: files[0], imageB: files[2], samePerson: false, result: verify(loaded, a1, b1) },
  ];
}
