import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { demoCommand } from './commands/demo.js';
import { embedCommand } from './commands/embed.js';
import { pairsCommand } from './commands/pairs.js';
import { plotCommand } from './commands/plot.js';
import { testCommand } from './commands/test.js';
import { trainCommand } from './commands/train.js';
import { verifyCommand } from './commands/verify.js';

/** The package's version, read from package.json (two folders up from both src/cli and dist/cli). */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/** The `arcgrad` command line: train, test, verify, pairs, embed, plot, demo. */
export function createProgram(): Command {
  const program = new Command('arcgrad')
    .description(
      'Face recognition from scratch in TypeScript: train FaceMobileNet + ArcFace/CosFace, verify LFW-style.',
    )
    .version(packageVersion(), '-V, --version', 'print the arcgrad version')
    .showHelpAfterError('(run with --help for usage)')
    .addCommand(demoCommand())
    .addCommand(trainCommand())
    .addCommand(testCommand())
    .addCommand(verifyCommand())
    .addCommand(pairsCommand())
    .addCommand(embedCommand())
    .addCommand(plotCommand())
    .addHelpText(
      'after',
      `
Examples:
  $ arcgrad demo                                   # train and verify on synthetic faces (~5 min, 2 cores)
  $ arcgrad train --data faces/ --out runs/exp     # the reference recipe on an identity folder
  $ arcgrad pairs faces/ --identities s31..s40 --out pairs.txt
  $ arcgrad test --model runs/exp/checkpoint-epoch-020.safetensors --pairs pairs.txt --root faces/
  $ arcgrad verify a.png b.png --model runs/exp/checkpoint-epoch-020.safetensors   # same person?
  $ arcgrad <command> --help                       # options and examples of a command`,
    );
  for (const command of program.commands) command.showHelpAfterError('(run with --help for usage)');
  return program;
}
