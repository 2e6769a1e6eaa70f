/**
 * Example 4: FaceMobileNet + ArcFace learn a few synthetic people, and the angle between two photos
 * of the same person shrinks while the angle between different people stays wide.
 * Run: npx tsx examples/04-train-tiny-model.ts (about a second per step on two cores)
 * The reference recipe's full FaceMobileNet at a small input (conv10 pools globally) and its optimizer (SGD,
 * lr 0.1, weight decay 5e-4); angles are measured on held-out photos of the trained identities.
 */
import { pathToFileURL } from 'node:url';
import {
  ArcFace,
  crossEntropy,
  FaceMobileNet,
  linear,
  manualSeed,
  noGrad,
  normalize,
  normalizeInto,
  SGD,
  SyntheticFaces,
  Tensor,
} from 'arcgrad';

/** Trains on 4 photos per identity; returns mean same- and different-identity angles (degrees) before and after, and the losses. */
export function main({ identities = 4, side = 32, steps = 12, log = (_line: string) => {} } = {}) {
  manualSeed(0);
  const photos = 7; // 0..3 train, 4..6 held out
  const faces = new SyntheticFaces({ identities, imagesPerIdentity: photos, side, seed: 1 });
  const batch = (which: number[]) => {
    const indices = Array.from({ length: identities }, (_, id) => which.map((k) => id * photos + k)).flat();
    const pixels = new Float32Array(indices.length * side * side);
    for (const [n, index] of indices.entries()) normalizeInto(faces.render(index), pixels, n * side * side);
    return { x: new Tensor(pixels, [indices.length, 1, side, side]), labels: indices.map((i) => faces.label(i)) };
  };
  const [train, heldOut] = [batch([0, 1, 2, 3]), batch([4, 5, 6])];
  const model = new FaceMobileNet({ embeddingSize: 64, inputSize: side, conv10Kernel: 'global' });
  const head = new ArcFace(64, identities, { s: 30, m: 0.5 });
  const optimizer = new SGD([...model.parameters(), ...head.parameters()], { lr: 0.1, weightDecay: 5e-4 });

  // Angles between every pair of held-out embeddings: acos of the cosine matrix normalize(e) normalize(e)^T.
  // BatchNorm stays in training mode (statistics of the measured batch): after a dozen steps its running averages are not settled.
  const meanAngles = () => {
    const unit = noGrad(() => normalize(model.forward(heldOut.x)));
    const cosines = noGrad(() => linear(unit, unit)).data;
    const { labels } = heldOut;
    const sums = { same: [0, 0], different: [0, 0] };
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        const sum = labels[i] === labels[j] ? sums.same : sums.different;
        sum[0] += (Math.acos(Math.min(1, Math.max(-1, cosines[i * labels.length + j]))) * 180) / Math.PI;
        sum[1]++;
      }
    }
    return { same: sums.same[0] / sums.same[1], different: sums.different[0] / sums.different[1] };
  };
  const show = (a: { same: number; different: number }) =>
    `same ${a.same.toFixed(1)}, different ${a.different.toFixed(1)} deg`;

  const before = meanAngles();
  log(`before training: ${show(before)}`);
  const losses: number[] = [];
  for (let step = 1; step <= steps; step++) {
    optimizer.zeroGrad();
    const loss = crossEntropy(head.forward(model.forward(train.x), train.labels), train.labels);
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
    if (step % 3 === 0 || step === steps)
      log(`step ${step}: loss ${loss.item().toFixed(3)}, held-out angles: ${show(meanAngles())}`);
  }
  return { before, after: meanAngles(), losses };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = main({ log: console.log });
  const change = (key: 'same' | 'different') => `${r.before[key].toFixed(1)} -> ${r.after[key].toFixed(1)} deg`;
  console.log(`mean angle between held-out photos: same identity ${change('same')}, different ${change('different')}`);
}
