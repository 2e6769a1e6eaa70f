import { Command } from 'commander';
import { reportSummary } from '../../eval/index.js';
import { type DemoOptions, defaultDemoOptions, maxInputSize, runDemo } from '../../train/index.js';
import { interruptOnCtrlC } from '../interrupt.js';
import { formatSeconds, integerIn, numberIn, runAction } from '../options.js';
import { EpochProgress } from '../progress.js';
import { addRuntimeOptions, applyRuntimeOptions, printProfile, type RuntimeFlags } from '../runtime-options.js';

/** Commander's names for the demo flags. */
interface DemoFlags
  extends Omit<DemoOptions, 'trainImagesPerIdentity' | 'testImagesPerIdentity' | 'outDir'>,
    RuntimeFlags {
  trainImages: number;
  testImages: number;
  out: string;
  json?: boolean;
}

const percent = (x: number): string => `${(100 * x).toFixed(2)}%`;

/** `arcgrad demo`: the main job, train and verify on synthetic faces end to end. */
export function demoCommand(): Command {
  const d = defaultDemoOptions;
  const command = new Command('demo')
    .description('Train FaceMobileNet + ArcFace on synthetic faces, then verify on identities it never saw.')
    .option('--side <px>', `model input side, at most ${maxInputSize}`, integerIn(16, maxInputSize), d.side)
    .option('--train-identities <n>', 'synthetic people to train on', integerIn(2), d.trainIdentities)
    .option('--train-images <n>', 'photos per training person', integerIn(1), d.trainImagesPerIdentity)
    .option('--test-identities <n>', 'held-out people to verify on', integerIn(2), d.testIdentities)
    .option('--test-images <n>', 'photos per held-out person', integerIn(2), d.testImagesPerIdentity)
    .option('--epochs <n>', 'training epochs', integerIn(1), d.epochs)
    .option('--batch-size <n>', 'images per SGD step', integerIn(2), d.batchSize)
    .option('--embedding-size <n>', 'embedding length', integerIn(1), d.embeddingSize)
    .option('--lr <x>', 'SGD learning rate', numberIn(Number.MIN_VALUE), d.lr)
    .option('--momentum <x>', 'SGD momentum', numberIn(0, 1), d.momentum)
    .option('--lr-step <epochs>', 'StepLR period (x0.1)', integerIn(1), d.lrStep)
    .option(
      '--variation <x>',
      'scale of per-photo variation (pose, light, expression, noise)',
      numberIn(0, 1.5),
      d.variation,
    )
    .option('--seed <n>', 'seed of people, photos, initialisation and order', integerIn(0, 2 ** 32 - 1), d.seed)
    .option('--out <folder>', 'folder for checkpoints, plots, contact sheet and report', d.outDir)
    .option('--json', 'end with the report as one JSON line');
  return addRuntimeOptions(command)
    .addHelpText(
      'after',
      `
The default sizes finish in about five minutes on two CPU cores.

Examples:
  $ arcgrad demo
  $ arcgrad demo --json | tail -n 1
  $ arcgrad demo --side 48 --epochs 10 --out runs/demo-48     # slower, bigger
  $ arcgrad demo --epochs 1 --threads 2 --profile             # time per op and kernel of one step
  $ arcgrad demo --backend gpu                                # matmul and convolutions on gpu.js`,
    )
    .action(
      runAction('demo', async (flags: DemoFlags) => {
        const started = performance.now();
        const { trainImages, testImages, out, json, backend, threads, profile, ...rest } = flags;
        const options: DemoOptions = {
          ...rest,
          trainImagesPerIdentity: trainImages,
          testImagesPerIdentity: testImages,
          outDir: out,
        };
        const trainTotal = options.trainIdentities * options.trainImagesPerIdentity;
        const testTotal = options.testIdentities * options.testImagesPerIdentity;
        console.log(
          'arcgrad demo: FaceMobileNet + ArcFace (s 30, m 0.5), focal loss, SGD + StepLR, on synthetic faces',
        );
        console.log(
          `sizes: input ${options.side}x${options.side} px; train ${options.trainIdentities} identities x ${options.trainImagesPerIdentity} photos = ${trainTotal} images; ` +
            `${options.epochs} epochs of batch ${options.batchSize}; embedding ${options.embeddingSize}; ` +
            `held out: ${options.testIdentities} other identities x ${options.testImagesPerIdentity} photos = ${testTotal} images; ` +
            `photo variation ${options.variation}; SGD lr ${options.lr} momentum ${options.momentum}, lr x0.1 every ${options.lrStep} epochs`,
        );
        applyRuntimeOptions({ backend, threads });
        const progress = new EpochProgress(options.epochs);
        const interrupt = interruptOnCtrlC(() => progress.stop());
        try {
          const result = await runDemo(options, {
            signal: interrupt.signal,
            profile,
            onPhase: (phase) => console.log(`${phase}...`),
            onBatch: (p) => progress.update(p),
            onEpoch: (e) => {
              progress.stop();
              console.log(
                `epoch ${e.epoch + 1}/${e.epochs}  loss ${e.loss.toFixed(4)}  lr ${e.lr.toPrecision(3)}  ${e.imagesPerSecond.toFixed(1)} img/s  ${formatSeconds(e.seconds)}`,
              );
            },
          });
          const r = result.report;
          const seconds = (performance.now() - started) / 1000;
          if (result.stopped) console.log('stopped early: the report below is for the last complete epoch');
          console.log(
            `\nverification on ${options.testIdentities} held-out identities (${r.genuinePairs} genuine + ${r.impostorPairs} impostor pairs):`,
          );
          console.log(`  10-fold accuracy: ${percent(r.kfoldAccuracy)} +- ${percent(r.kfoldStd)}`);
          console.log(
            `  best-threshold accuracy (the reference recipe's, tuned on all pairs): ${percent(r.bestThresholdAccuracy)} at cosine ${r.threshold.toFixed(4)}`,
          );
          console.log(`  ROC AUC: ${r.auc.toFixed(4)}`);
          for (const p of r.tarAtFar) console.log(`  TAR @ FAR ${p.far.toExponential(0)}: ${percent(p.tar)}`);
          console.log(
            `  raw-pixel cosine baseline: 10-fold ${percent(result.rawPixelReport.kfoldAccuracy)}, AUC ${result.rawPixelReport.auc.toFixed(4)}`,
          );
          if (result.verifications.length > 0) {
            console.log(`\nverify, on two people outside training and calibration (threshold at best accuracy):`);
            for (const v of result.verifications) {
              const answer = v.result.same ? 'same person' : 'different people';
              console.log(
                `  ${v.imageA} vs ${v.imageB} (${v.samePerson ? 'one person' : 'two people'}): cosine ${v.result.similarity.toFixed(4)}, threshold ${v.result.operatingPoint.threshold.toFixed(4)} -> ${answer} (${v.result.same === v.samePerson ? 'right' : 'wrong'})`,
              );
            }
            const [first] = result.verifications;
            console.log(
              `  try it: npm run arcgrad -- verify ${first.imageA} ${first.imageB} --model ${result.checkpoint}`,
            );
          }
          console.log(`\ncheckpoint: ${result.checkpoint}${result.verifications.length > 0 ? ' (calibrated)' : ''}`);
          console.log(`plots: ${result.files.arcfacePlot}, ${result.files.lossPlot}, ${result.files.rocPlot}`);
          console.log(`faces: ${result.files.contactSheet}   report: ${result.files.report}`);
          console.log(
            `time: ${formatSeconds(seconds)} (training ${formatSeconds(result.trainSeconds)}, verification ${formatSeconds(result.evalSeconds)})`,
          );
          if (profile) printProfile(result.profile);
          if (json) {
            console.log(
              JSON.stringify({
                ...reportSummary(r, seconds),
                rawPixelKfoldAccuracy: result.rawPixelReport.kfoldAccuracy,
                sizes: {
                  side: options.side,
                  trainIdentities: options.trainIdentities,
                  trainImagesPerIdentity: options.trainImagesPerIdentity,
                  testIdentities: options.testIdentities,
                  testImagesPerIdentity: options.testImagesPerIdentity,
                  epochs: options.epochs,
                  batchSize: options.batchSize,
                  variation: options.variation,
                },
                losses: result.losses,
                verify: result.verifications.map((v) => ({
                  imageA: v.imageA,
                  imageB: v.imageB,
                  samePerson: v.samePerson,
                  same: v.result.same,
                  similarity: v.result.similarity,
                })),
              }),
            );
          }
          if (result.stopped) process.exitCode = 130;
        } finally {
          interrupt.dispose();
        }
      }),
    );
}
