import { Command, Option } from 'commander';
import {
  defaultSyntheticSizes,
  type LoadedCheckpoint,
  maxEmbeddingSize,
  maxInputSize,
  openRunFolder,
  resolveTrainConfig,
  type TrainConfig,
  type TrainRequest,
  train,
} from '../../train/index.js';
import { interruptOnCtrlC } from '../interrupt.js';
import { formatSeconds, integerIn, numberIn, runAction } from '../options.js';
import { EpochProgress } from '../progress.js';
import { addRuntimeOptions, applyRuntimeOptions, printProfile, type RuntimeFlags } from '../runtime-options.js';

/** Flags of `arcgrad train`, as commander parses them (absent when not given). */
interface TrainFlags extends RuntimeFlags {
  data?: string;
  identities?: string;
  syntheticIdentities?: number;
  syntheticImages?: number;
  syntheticVariation?: number;
  config?: string;
  out: string;
  resume?: boolean;
  overwrite?: boolean;
  metric?: TrainConfig['metric'];
  loss?: TrainConfig['loss'];
  gamma?: number;
  scale?: number;
  margin?: number;
  lr?: number;
  momentum?: number;
  weightDecay?: number;
  lrStep?: number;
  lrGamma?: number;
  batchSize?: number;
  embeddingSize?: number;
  inputSize?: number;
  resizeSide?: number;
  epochs?: number;
  seed?: number;
  skipBad?: boolean;
  json?: boolean;
}

/** The flags that are TrainConfig fields, passed to the library as explicit settings. */
const configFlags = [
  'metric',
  'loss',
  'gamma',
  'scale',
  'margin',
  'lr',
  'momentum',
  'weightDecay',
  'lrStep',
  'lrGamma',
  'batchSize',
  'embeddingSize',
  'inputSize',
  'resizeSide',
  'epochs',
  'seed',
  'skipBad',
] as const;

/** The library's view of the flags (config precedence and defaults live in resolveTrainConfig). */
function trainRequest(flags: TrainFlags, checkpoint: LoadedCheckpoint | null): TrainRequest {
  return {
    data: flags.data,
    identities: flags.identities,
    synthetic: {
      identities: flags.syntheticIdentities,
      imagesPerIdentity: flags.syntheticImages,
      variation: flags.syntheticVariation,
    },
    configFile: flags.config,
    settings: Object.fromEntries(configFlags.map((key) => [key, flags[key]])),
    checkpoint,
  };
}

/** `arcgrad train`: train FaceMobileNet with a margin head, a checkpoint per epoch. */
export function trainCommand(): Command {
  const command = new Command('train')
    .description('Train FaceMobileNet with ArcFace or CosFace on an identity folder (the reference recipe by default).')
    .option('--data <folder|synthetic>', "identity folder (one sub-folder per person) or 'synthetic'")
    .option('--identities <selection>', "use only these identities of the folder, e.g. 's1..s30' or 'alice,bob'")
    .option(
      '--synthetic-identities <n>',
      `synthetic people (default ${defaultSyntheticSizes.identities})`,
      integerIn(2, 100_000),
    )
    .option(
      '--synthetic-images <n>',
      `synthetic photos per person (default ${defaultSyntheticSizes.imagesPerIdentity})`,
      integerIn(1, 10_000),
    )
    .option(
      '--synthetic-variation <x>',
      `scale of per-photo variation (default ${defaultSyntheticSizes.variation})`,
      numberIn(0, 1.5),
    )
    .option(
      '--config <file.json>',
      'JSON file of settings (field names as in the checkpoint config); flags override it',
    )
    .option('--out <folder>', 'folder for checkpoints', 'runs/train')
    .option('--resume', 'continue from the newest checkpoint in --out that loads (only --epochs may change)')
    .option('--overwrite', 'start afresh in an --out that holds another run, removing its checkpoints first')
    .addOption(new Option('--metric <head>', 'margin head (default arcface)').choices(['arcface', 'cosface']))
    .addOption(new Option('--loss <loss>', 'loss (default focal)').choices(['focal', 'cross-entropy']))
    .option('--gamma <x>', 'focal loss gamma (default 2)', numberIn(0))
    .option('--scale <s>', 'head scale s (default 30)', numberIn(Number.MIN_VALUE))
    .option('--margin <m>', 'head margin m (default 0.5 arcface, 0.4 cosface)', numberIn(0, Math.PI / 2))
    .option('--lr <x>', 'SGD learning rate (default 0.1)', numberIn(Number.MIN_VALUE))
    .option('--momentum <x>', 'SGD momentum (default 0, as the reference recipe)', numberIn(0, 1))
    .option('--weight-decay <x>', 'SGD weight decay (default 5e-4)', numberIn(0))
    .option('--lr-step <epochs>', 'StepLR: decay every this many epochs (default 10)', integerIn(1))
    .option('--lr-gamma <x>', 'StepLR decay factor (default 0.1)', numberIn(Number.MIN_VALUE))
    .option('--batch-size <n>', 'images per step (default 64)', integerIn(2))
    .option(
      '--embedding-size <n>',
      `embedding length, at most ${maxEmbeddingSize} (default 512)`,
      integerIn(1, maxEmbeddingSize),
    )
    .option(
      '--input-size <px>',
      `model input side, at most ${maxInputSize} (default 128; below 112 conv10 is a global depthwise conv)`,
      integerIn(16, maxInputSize),
    )
    .option(
      '--resize-side <px>',
      'resize before the random crop (default input * 144 / 128)',
      integerIn(16, 2 * maxInputSize),
    )
    .option('--epochs <n>', 'epochs in total (default 20)', integerIn(1))
    .option('--seed <n>', 'seed of initialisation, order and augmentation (default 0)', integerIn(0, 2 ** 32 - 1))
    .option('--skip-bad', 'skip unreadable images (counted) instead of stopping')
    .option('--json', 'end with one JSON line summarising the run');
  return addRuntimeOptions(command)
    .addHelpText(
      'after',
      `
Examples:
  $ arcgrad train --data ../shared/datasets/orl_faces --identities s1..s30 --epochs 30 --batch-size 32 --out runs/orl
  $ arcgrad train --data synthetic --synthetic-identities 100 --input-size 32 --embedding-size 128 --epochs 5
  $ arcgrad train --config recipe.json --out runs/exp1
  $ arcgrad train --out runs/exp1 --resume --epochs 30     # continue a stopped or finished run
  $ arcgrad train --data synthetic --input-size 32 --epochs 1 --threads 2 --profile   # where a step's time goes
  $ arcgrad train --data faces/ --backend gpu --out runs/gpu   # matmul and convolutions on gpu.js

One trainer at a time per --out (a lock file names the holder); a folder that holds another run
needs --resume or --overwrite. Ctrl-C stops after the current batch; the last complete checkpoint
is kept and --resume continues from it (under \`npx tsx\` tsx ends the process at once instead).`,
    )
    .action(
      runAction('train', async (flags: TrainFlags) => {
        // Without --resume the config needs no checkpoint: a bad flag or file fails before the folder is touched.
        const config = flags.resume ? null : await resolveTrainConfig(trainRequest(flags, null));
        const notice = (message: string): void => console.log(`note: ${message}`);
        const folder = await openRunFolder(flags.out, {
          resume: flags.resume,
          overwrite: flags.overwrite,
          onNotice: notice,
        });
        try {
          await trainInFolder(
            flags,
            config ?? (await resolveTrainConfig(trainRequest(flags, folder.checkpoint))),
            folder.checkpoint,
          );
        } finally {
          await folder.release();
        }
      }),
    );
}

/** Trains `config` into the held folder, printing progress; Ctrl-C stops after the current batch. */
async function trainInFolder(
  flags: TrainFlags,
  config: TrainConfig,
  checkpoint: LoadedCheckpoint | null,
): Promise<void> {
  applyRuntimeOptions(flags);
  const progress = new EpochProgress(config.epochs);
  const interrupt = interruptOnCtrlC(() => progress.stop());
  const started = performance.now();
  try {
    const result = await train(config, {
      outDir: flags.out,
      ...(checkpoint ? { resumeFrom: checkpoint } : {}),
      signal: interrupt.signal,
      profile: flags.profile,
      onNotice: (message) => console.log(`note: ${message}`),
      onStart: ({ startEpoch, images, identities, resumedFrom }) => {
        const from = resumedFrom ? `resuming from ${resumedFrom}, ` : '';
        console.log(
          `training FaceMobileNet (${config.inputSize}px, embedding ${config.embeddingSize}) + ${config.metric} ` +
            `with ${config.loss} loss on ${images} images of ${identities} identities; ${from}epochs ${startEpoch + 1}..${config.epochs}`,
        );
      },
      onBatch: (p) => progress.update(p),
      onEpoch: (e) => {
        progress.stop();
        const skipped = e.skipped > 0 ? `  skipped ${e.skipped} bad images` : '';
        console.log(
          `epoch ${e.epoch + 1}/${e.epochs}  loss ${e.loss.toFixed(4)}  lr ${e.lr.toPrecision(3)}  ` +
            `${e.imagesPerSecond.toFixed(1)} img/s  ${formatSeconds(e.seconds)}  -> ${e.checkpoint}${skipped}`,
        );
      },
    });
    progress.stop();
    const seconds = (performance.now() - started) / 1000;
    if (result.stopped) {
      console.log(
        `stopped during epoch ${result.state.epoch + 1}; last complete checkpoint: ${result.lastCheckpoint ?? 'none yet'}`,
      );
      process.exitCode = 130;
    } else {
      console.log(`done in ${formatSeconds(seconds)}; last checkpoint: ${result.lastCheckpoint}`);
    }
    if (flags.profile) printProfile(result.profile);
    if (flags.json) {
      console.log(
        JSON.stringify({
          epochs: result.state.epoch,
          losses: result.state.losses,
          checkpoint: result.lastCheckpoint,
          stopped: result.stopped,
          seconds,
        }),
      );
    }
  } finally {
    interrupt.dispose();
  }
}
