import { Command, InvalidArgumentError } from 'commander';
import { readImageFile } from '../../data/index.js';
import { type OperatingPointName, verify } from '../../eval/index.js';
import { loadEmbeddingModel } from '../../train/index.js';
import { integerIn, runAction } from '../options.js';

interface VerifyFlags {
  model: string;
  at: OperatingPointName;
  json?: boolean;
  inputSize?: number;
  embeddingSize?: number;
}

/** Commander's parser for --at: `best` or `far=<rate>`. */
function operatingPointName(value: string): OperatingPointName {
  if (value === 'best' || /^far=\S+$/.test(value)) return value as OperatingPointName;
  throw new InvalidArgumentError(`expected 'best' or 'far=<rate>' such as far=1e-3, got '${value}'.`);
}

const percent = (x: number): string => `${(100 * x).toFixed(2)}%`;

/** `arcgrad verify`: are two images the same person, at the model's stored operating point? */
export function verifyCommand(): Command {
  return new Command('verify')
    .description('Decide whether two face images show the same person, with the thresholds stored by arcgrad test.')
    .argument('<imageA>', 'first image (PGM, PNG or JPEG)')
    .argument('<imageB>', 'second image')
    .requiredOption('--model <file>', 'model file calibrated by arcgrad test')
    .option(
      '--at <point>',
      "operating point: 'best' (best accuracy) or 'far=1e-2' / 'far=1e-3'",
      operatingPointName,
      'best',
    )
    .option('--json', 'print the answer as one JSON line')
    .option('--input-size <px>', 'input side, for plain weights without arcgrad metadata', integerIn(16))
    .option('--embedding-size <n>', 'embedding length, for plain weights', integerIn(1))
    .addHelpText(
      'after',
      `
Prints the cosine similarity of the two embeddings, the decision at the operating point, and how the
similarity compares with the calibration pairs: the share of impostor pairs (FAR) and of genuine
pairs (TAR) that scored at least as high. The model must have been calibrated first:
arcgrad test --model <file> --pairs <list> stores the operating points in it.

Examples:
  $ arcgrad test --model runs/orl/checkpoint-epoch-030.safetensors --pairs orl-pairs.txt --root ../shared/datasets/orl_faces
  $ arcgrad verify ../shared/datasets/orl_faces/s31/1.pgm ../shared/datasets/orl_faces/s31/2.pgm --model runs/orl/checkpoint-epoch-030.safetensors
  $ arcgrad verify a.png b.png --model model.safetensors --at far=1e-3 --json`,
    )
    .action(
      runAction('verify', async (imageA: string, imageB: string, flags: VerifyFlags) => {
        const loaded = loadEmbeddingModel(flags.model, flags);
        if (loaded.calibration === null) {
          throw new Error(
            `model file ${flags.model} has no stored calibration; run \`arcgrad test --model ${flags.model} --pairs <pair list>\` first`,
          );
        }
        const result = verify(loaded, await readImageFile(imageA), await readImageFile(imageB), { at: flags.at });
        if (flags.json) {
          console.log(JSON.stringify({ imageA, imageB, ...result, threshold: result.operatingPoint.threshold }));
          return;
        }
        const { calibration } = loaded;
        const point = result.operatingPoint;
        console.log(`cosine similarity: ${result.similarity.toFixed(4)}`);
        console.log(
          `decision at ${result.at} (threshold ${point.threshold.toFixed(4)}): ${result.same ? 'same person' : 'different people'}`,
        );
        console.log(
          `  this threshold on the calibration pairs: FAR ${percent(point.far)}, TAR ${percent(point.tar)}` +
            (result.at === 'best'
              ? `, ${calibration.folds}-fold accuracy ${percent(calibration.best.kfoldAccuracy)}`
              : ''),
        );
        console.log(
          `this similarity or higher: ${percent(result.far)} of ${calibration.impostorScores.length} impostor pairs, ${percent(result.tar)} of ${calibration.genuineScores.length} genuine pairs (${calibration.pairs})`,
        );
      }),
    );
}
