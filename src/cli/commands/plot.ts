import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { writeFileAtomic } from '../../data/index.js';
import { arcfaceMarginSvg, lossCurveSvg, type RocCurve, rocCurveSvg } from '../../eval/index.js';
import { readCheckpoint } from '../../train/index.js';
import { numberIn, runAction } from '../options.js';

async function write(path: string, svg: string): Promise<void> {
  await writeFileAtomic(path, svg);
  console.log(`wrote ${path}`);
}

/** Reads the ROC curve from a report JSON written by `arcgrad test --report` or the demo. */
async function readRoc(path: string): Promise<{ curve: RocCurve; auc: number }> {
  let parsed: {
    auc?: unknown;
    roc?: { falsePositiveRates?: unknown; truePositiveRates?: unknown; thresholds?: unknown };
  };
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `cannot read report ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  const roc = parsed.roc;
  const valid =
    typeof parsed.auc === 'number' &&
    roc !== undefined &&
    Array.isArray(roc.falsePositiveRates) &&
    Array.isArray(roc.truePositiveRates) &&
    roc.falsePositiveRates.length === roc.truePositiveRates.length;
  if (!valid) throw new Error(`report ${path} has no ROC curve (write one with arcgrad test --report)`);
  return {
    auc: parsed.auc as number,
    curve: {
      falsePositiveRates: Float64Array.from(roc.falsePositiveRates as number[]),
      truePositiveRates: Float64Array.from(roc.truePositiveRates as number[]),
      thresholds: Float64Array.from(
        (roc.thresholds as (number | null)[] | undefined) ?? [],
        (t) => t ?? Number.POSITIVE_INFINITY,
      ),
    },
  };
}

/** `arcgrad plot`: the SVG figures. */
export function plotCommand(): Command {
  const plot = new Command('plot').description('Write SVG plots: the ArcFace margin, the training loss, a ROC curve.');
  plot.addHelpText(
    'after',
    `
Examples:
  $ arcgrad plot arcface --margin 0.5 --out arcface.svg
  $ arcgrad plot loss --checkpoint runs/orl/checkpoint-epoch-030.safetensors --out loss.svg
  $ arcgrad plot roc --report report.json --out roc.svg`,
  );
  plot
    .command('arcface')
    .description(
      "ArcFace's phi(theta) with cos(theta), cos(theta + m) and the fallback region (the reference recipe's figure)",
    )
    .option('--margin <m>', 'angular margin m', numberIn(0.01, Math.PI / 2), 0.5)
    .requiredOption('--out <file.svg>', 'output SVG')
    .action(
      runAction('plot arcface', async (flags: { margin: number; out: string }) =>
        write(flags.out, arcfaceMarginSvg(flags.margin)),
      ),
    );
  plot
    .command('loss')
    .description('training loss per epoch, from a checkpoint')
    .requiredOption('--checkpoint <file>', 'a checkpoint written by arcgrad train')
    .requiredOption('--out <file.svg>', 'output SVG')
    .action(
      runAction('plot loss', async (flags: { checkpoint: string; out: string }) => {
        const { state } = readCheckpoint(flags.checkpoint);
        await write(
          flags.out,
          lossCurveSvg(state.losses, `Training loss per epoch (${state.config.metric}, ${state.config.loss})`),
        );
      }),
    );
  plot
    .command('roc')
    .description('ROC curve, from a report written by arcgrad test --report (or the demo)')
    .requiredOption('--report <file.json>', 'report JSON with the ROC points')
    .requiredOption('--out <file.svg>', 'output SVG')
    .action(
      runAction('plot roc', async (flags: { report: string; out: string }) => {
        const { curve, auc } = await readRoc(flags.report);
        await write(flags.out, rocCurveSvg(curve, auc));
      }),
    );
  return plot;
}
