import { Command, InvalidArgumentError } from 'commander';
import { IdentityFolder, parseIdentitySelection, selectIdentities, writeFileAtomic } from '../../data/index.js';
import { formatPairList, makeVerificationPairs } from '../../eval/index.js';
import { integerIn, runAction } from '../options.js';

interface PairsFlags {
  identities?: string;
  impostors: number | 'balanced' | 'all';
  seed: number;
  out?: string;
}

function parseImpostors(value: string): number | 'balanced' | 'all' {
  if (value === 'balanced' || value === 'all') return value;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected 'balanced', 'all' or a count, got '${value}'.`);
  return n;
}

/** `arcgrad pairs`: make a verification pair list for an identity folder. */
export function pairsCommand(): Command {
  return new Command('pairs')
    .description('Make a pair list for an identity folder: every genuine pair, then a seeded sample of impostors.')
    .argument('<folder>', 'identity folder (one sub-folder per person)')
    .option('--identities <selection>', "only these identities, e.g. 's31..s40'")
    .option(
      '--impostors <n|balanced|all>',
      'impostor pairs: a count, as many as genuine, or all',
      parseImpostors,
      'balanced',
    )
    .option('--seed <n>', 'seed of the impostor sample', integerIn(0, 2 ** 32 - 1), 0)
    .option('--out <file>', 'write the list here (default: standard output)')
    .addHelpText(
      'after',
      `
Image names are relative to the folder (pass it as --root to arcgrad test). Positives come first,
as in the reference recipe's lfw_test_pair.txt.

Examples:
  $ arcgrad pairs ../shared/datasets/orl_faces --identities s31..s40 --out orl-pairs.txt   # 450 + 450 pairs
  $ arcgrad pairs faces/ --impostors all > all-pairs.txt`,
    )
    .action(
      runAction('pairs', async (folderPath: string, flags: PairsFlags) => {
        const folder = await IdentityFolder.open(folderPath);
        const source = flags.identities ? selectIdentities(folder, parseIdentitySelection(flags.identities)) : folder;
        const root = folder.root;
        const names = Array.from({ length: source.size }, (_, i) =>
          source
            .describe(i)
            .slice(root.length)
            .replace(/^[\\/]+/, '')
            .replaceAll('\\', '/'),
        );
        const labels = Array.from({ length: source.size }, (_, i) => source.label(i));
        const pairs = makeVerificationPairs(names, labels, { impostors: flags.impostors, seed: flags.seed });
        const text = formatPairList(pairs);
        const genuine = pairs.filter((p) => p.same).length;
        if (flags.out) {
          await writeFileAtomic(flags.out, text);
          console.log(
            `${flags.out}: ${genuine} genuine + ${pairs.length - genuine} impostor pairs over ${source.classNames.length} identities`,
          );
        } else {
          process.stdout.write(text);
        }
      }),
    );
}
