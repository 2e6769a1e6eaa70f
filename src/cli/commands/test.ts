import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { ImageFileList, writeFileAtomic } from '../../data/index.js';
import {
  calibrate,
  embedSource,
  formatVerificationReport,
  parsePairList,
  reportSummary,
  rocCurveSvg,
  scorePairs,
  verificationReport,
} from '../../eval/index.js';
import { noGrad } from '../../tensor/index.js';
import { loadEmbeddingModel, reportFile, storeCalibration } from '../../train/index.js';
import { formatSeconds, integerIn, runAction } from '../options.js';

interface TestFlags {
  model: string;
  pairs: string;
  root: string;
  allowOutsideRoot?: boolean;
  batchSize: number;
  inputSize?: number;
  embeddingSize?: number;
  roc?: string;
  report?: string;
  json?: boolean;
  flip?: boolean;
  store: boolean;
}

/** `arcgrad test`: LFW-style verification of a model on a pair list. */
export function testCommand(): Command {
  return new Command('test')
    .description('Verify a trained model on a pair list (img1 img2 label per line, as lfw_test_pair.txt).')
    .requiredOption('--model <file>', 'checkpoint from arcgrad train, or plain FaceMobileNet safetensors')
    .requiredOption('--pairs <file>', 'pair list: `img1 img2 label` per line, label 1 same person, 0 different')
    .option('--root <folder>', 'folder the image names in the pair list are relative to', '.')
    .option('--allow-outside-root', 'let the pair list name images outside --root (absolute paths, ..)')
    .option('--batch-size <n>', 'images per forward pass', integerIn(1), 64)
    .option('--input-size <px>', 'input side, for plain weights without arcgrad metadata', integerIn(16))
    .option('--embedding-size <n>', 'embedding length, for plain weights (default: from bn.weight)', integerIn(1))
    .option('--flip', 'flip test-time augmentation: embed each image plus its mirror image (verify then does too)')
    .option('--roc <file.svg>', 'also write the ROC curve as SVG')
    .option('--report <file.json>', 'also write the full report (with the ROC points) as JSON')
    .option('--json', 'end with the report as one JSON line')
    .option('--no-store', 'leave the model file as it is (by default the calibration is stored in it)')
    .addHelpText(
      'after',
      `
Reports the reference recipe's best-threshold accuracy (threshold tuned on all pairs), the standard 10-fold
accuracy (threshold tuned on 9 folds, positives and negatives split separately), ROC AUC and
TAR at FAR 1e-2 and 1e-3.

The operating points (the best-accuracy threshold with its 10-fold accuracy, and the thresholds at
FAR 1e-2 and 1e-3) and the pairs' scores are stored in the model file's metadata, which is replaced
atomically; 'arcgrad verify' decides with them. --no-store leaves the file unchanged.

Examples:
  $ arcgrad pairs ../shared/datasets/orl_faces --identities s31..s40 --out orl-pairs.txt
  $ arcgrad test --model runs/orl/checkpoint-epoch-030.safetensors --pairs orl-pairs.txt --root ../shared/datasets/orl_faces
  $ arcgrad test --model lfw.safetensors --input-size 128 --pairs lfw_test_pair.txt --root lfw-128 --json`,
    )
    .action(
      runAction('test', async (flags: TestFlags) => {
        const started = performance.now();
        const { model, inputSize } = loadEmbeddingModel(flags.model, flags);
        let text: string;
        try {
          text = await readFile(flags.pairs, 'utf8');
        } catch (error) {
          throw new Error(`cannot read pair list ${flags.pairs} (${(error as NodeJS.ErrnoException).code})`);
        }
        const pairs = parsePairList(text, flags.pairs);
        const names = [...new Set(pairs.flatMap((p) => [p.first, p.second]))];
        let images: ImageFileList;
        try {
          images = new ImageFileList(names, flags.root, { confineToRoot: !flags.allowOutsideRoot });
        } catch (error) {
          throw new Error(`pair list ${flags.pairs}: ${(error as Error).message} (--allow-outside-root reads it)`);
        }
        console.log(
          `embedding ${names.length} images of ${pairs.length} pairs at ${inputSize}px${flags.flip ? ' (with their mirror images)' : ''}`,
        );
        const embeddings = await embedSource((x) => noGrad(() => model.forward(x)), images, {
          side: inputSize,
          batchSize: flags.batchSize,
          flip: flags.flip,
        });
        const { scores, same } = scorePairs(pairs, new Map(names.map((name, i) => [name, embeddings[i]])));
        const report = verificationReport(scores, same);
        const seconds = (performance.now() - started) / 1000;
        console.log(formatVerificationReport(report));
        if (flags.roc) {
          await writeFileAtomic(flags.roc, rocCurveSvg(report.roc, report.auc));
          console.log(`ROC curve: ${flags.roc}`);
        }
        if (flags.report) {
          await writeFileAtomic(flags.report, `${JSON.stringify(reportFile(report), null, 1)}\n`);
          console.log(`report: ${flags.report}`);
        }
        if (flags.store) {
          const calibration = calibrate(scores, same, { pairs: flags.pairs, flip: flags.flip });
          await storeCalibration(flags.model, calibration).catch((error: Error) => {
            throw new Error(`${error.message}; the report above stands (--no-store skips storing)`);
          });
          console.log(`calibration stored in ${flags.model} (best, FAR 1e-2, FAR 1e-3; from ${pairs.length} pairs)`);
        }
        console.log(`time: ${formatSeconds(seconds)}`);
        if (flags.json) console.log(JSON.stringify(reportSummary(report, seconds)));
      }),
    );
}
