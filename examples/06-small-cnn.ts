/**
 * Example 6: a small CNN tells three kinds of built-in 12x12 pictures apart (horizontal bar, vertical
 * bar, diagonal, at random places, with noise), trained by AdamW with a linear warm-up then cosine annealing.
 * Run: npx tsx examples/06-small-cnn.ts (a few seconds on two cores)
 */
import { pathToFileURL } from 'node:url';
import {
  AdamW,
  AvgPool2d,
  argmax,
  Conv2d,
  CosineAnnealingLR,
  crossEntropy,
  Dropout,
  flatten,
  Generator,
  gelu,
  LayerNorm,
  Linear,
  LinearLR,
  MaxPool2d,
  Module,
  manualSeed,
  noGrad,
  Tensor,
} from 'arcgrad';

const side = 12; // pixels per picture side

/** `count` pictures of class i % 3: a 2-px bar (horizontal, vertical) or a diagonal, at a random offset, plus noise. */
function pictures(count: number, seed: number) {
  const generator = new Generator(seed);
  const pixels = new Float32Array(count * side * side);
  const labels = Array.from({ length: count }, (_, n) => n % 3);
  for (const [n, label] of labels.entries()) {
    const at = generator.integer(1, side - 3);
    for (let i = 0; i < side * side; i++) {
      const [y, x] = [Math.floor(i / side), i % side];
      const on = label === 0 ? y === at || y === at + 1 : label === 1 ? x === at || x === at + 1 : x - y === at - 5;
      pixels[n * side * side + i] = (on ? 1 : 0) + 0.3 * generator.normal();
    }
  }
  return { x: new Tensor(pixels, [count, 1, side, side]), labels };
}

/** conv 3x3 -> gelu -> max pool 2 -> conv 3x3 -> gelu -> avg pool 2 -> layer norm -> dropout -> linear. */
class SmallCnn extends Module {
  readonly conv1 = this.registerModule('conv1', new Conv2d(1, 8, 3, { padding: 1 }));
  readonly pool1 = this.registerModule('pool1', new MaxPool2d({ kernelSize: 2 }));
  readonly conv2 = this.registerModule('conv2', new Conv2d(8, 16, 3, { padding: 1 }));
  readonly pool2 = this.registerModule('pool2', new AvgPool2d({ kernelSize: 2 }));
  readonly norm = this.registerModule('norm', new LayerNorm(16 * 3 * 3));
  readonly dropout = this.registerModule('dropout', new Dropout(0.2));
  readonly classifier = this.registerModule('classifier', new Linear(16 * 3 * 3, 3));

  /** Logits [batch, 3] of pictures [batch, 1, 12, 12]. */
  forward(x: Tensor): Tensor {
    const features = this.pool2.forward(gelu(this.conv2.forward(this.pool1.forward(gelu(this.conv1.forward(x))))));
    return this.classifier.forward(this.dropout.forward(this.norm.forward(flatten(features, 1))));
  }
}

/** Trains on 96 pictures and measures accuracy on 60 unseen ones; returns accuracies before and after, and the losses. */
export function main({ epochs = 30, warmup = 5, log = (_line: string) => {} } = {}) {
  manualSeed(0);
  const [train, test] = [pictures(96, 1), pictures(60, 2)];
  const model = new SmallCnn();
  const optimizer = new AdamW(model.parameters(), { lr: 0.01 });
  // The cosine takes lr 0.01 as its base before the warm-up scales lr down to 0.001 for epoch 0.
  const cosine = new CosineAnnealingLR(optimizer, { tMax: epochs - warmup });
  const warmUp = new LinearLR(optimizer, { startFactor: 0.1, totalIters: warmup });
  const accuracy = () => {
    model.eval();
    const predicted = noGrad(() => argmax(model.forward(test.x), 1)).data;
    model.train();
    return test.labels.filter((label, i) => predicted[i] === label).length / test.labels.length;
  };
  const [before, losses] = [accuracy(), [] as number[]];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    optimizer.zeroGrad();
    const loss = crossEntropy(model.forward(train.x), train.labels);
    loss.backward();
    optimizer.step();
    (epoch <= warmup ? warmUp : cosine).step();
    losses.push(loss.item());
    if (epoch % 10 === 0) log(`epoch ${epoch}: loss ${loss.item().toFixed(3)}, test accuracy ${accuracy().toFixed(2)}`);
  }
  return { before, after: accuracy(), losses };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = main({ log: console.log });
  console.log(`test accuracy ${r.before.toFixed(2)} -> ${r.after.toFixed(2)}`);
}
