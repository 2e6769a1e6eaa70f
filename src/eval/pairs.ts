import { Generator } from '../tensor/index.js';

/** One verification pair: two image names and whether they show the same person. */
export interface VerificationPair {
  readonly first: string;
  readonly second: string;
  readonly same: boolean;
}

/**
 * Parses a pair list in the reference recipe's format (`lfw_test_pair.txt`): one `img1 img2 label` a line,
 * label 1 (same person) or 0 (different). Blank lines and `#` comments are skipped. A bad line
 * throws with `source`, its line number and what was wrong.
 */
export function parsePairList(text: string, source = 'pair list'): VerificationPair[] {
  const pairs: VerificationPair[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const content = line.trim();
    if (content === '' || content.startsWith('#')) return;
    const fields = content.split(/\s+/);
    const where = `parsePairList: ${source} line ${i + 1}`;
    if (fields.length !== 3) {
      throw new Error(`${where}: expected 'img1 img2 label' (3 fields), got ${fields.length}: '${content}'`);
    }
    const [first, second, label] = fields;
    if (label !== '0' && label !== '1') throw new Error(`${where}: label must be 0 or 1, got '${label}'`);
    pairs.push({ first, second, same: label === '1' });
  });
  if (pairs.length === 0) throw new Error(`parsePairList: ${source} has no pairs`);
  return pairs;
}

/** Formats pairs as the reference recipe's pair-list text, one `img1 img2 label` a line. */
export function formatPairList(pairs: readonly VerificationPair[]): string {
  for (const pair of pairs) {
    if (/\s/.test(pair.first) || /\s/.test(pair.second)) {
      throw new Error(`formatPairList: image names must not contain whitespace: '${pair.first}' '${pair.second}'`);
    }
  }
  return pairs.map((pair) => `${pair.first} ${pair.second} ${pair.same ? 1 : 0}\n`).join('');
}

/** Options of `makeVerificationPairs`. */
export interface MakePairsOptions {
  /** Impostor pairs: a count, 'balanced' (as many as genuine pairs, the default), or 'all'. */
  impostors?: number | 'balanced' | 'all';
  /** Seed of the impostor sample (default 0). */
  seed?: number;
}

/**
 * Makes a verification pair list for labelled images: every genuine pair (same label, i < j, in
 * order) followed by a seeded sample of impostor pairs, drawn without replacement from all
 * different-label pairs. Positives come first, as in the reference recipe's pair file.
 */
export function makeVerificationPairs(
  names: readonly string[],
  labels: ArrayLike<number>,
  options: MakePairsOptions = {},
): VerificationPair[] {
  if (names.length !== labels.length) {
    throw new Error(`makeVerificationPairs: ${names.length} names but ${labels.length} labels`);
  }
  const genuine: VerificationPair[] = [];
  let impostorCount = 0;
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      if (labels[i] === labels[j]) genuine.push({ first: names[i], second: names[j], same: true });
      else impostorCount++;
    }
  }
  const requested = options.impostors ?? 'balanced';
  const wanted = requested === 'balanced' ? genuine.length : requested === 'all' ? impostorCount : requested;
  if (!Number.isInteger(wanted) || wanted < 0) {
    throw new Error(
      `makeVerificationPairs: impostors must be a non-negative integer, 'balanced' or 'all', got ${requested}`,
    );
  }
  if (wanted > impostorCount) {
    throw new Error(`makeVerificationPairs: asked for ${wanted} impostor pairs but only ${impostorCount} exist`);
  }
  // Choose impostor ranks with a partial Fisher-Yates over 0..impostorCount-1, then walk the pairs once.
  const chosen = sampleWithoutReplacement(impostorCount, wanted, new Generator(options.seed ?? 0));
  const impostors: VerificationPair[] = [];
  let rank = 0;
  let next = 0;
  for (let i = 0; i < names.length && next < chosen.length; i++) {
    for (let j = i + 1; j < names.length && next < chosen.length; j++) {
      if (labels[i] === labels[j]) continue;
      if (rank === chosen[next]) {
        impostors.push({ first: names[i], second: names[j], same: false });
        next++;
      }
      rank++;
    }
  }
  return [...genuine, ...impostors];
}

/** `count` distinct integers from 0..population-1, sorted ascending. */
function sampleWithoutReplacement(population: number, count: number, random: Generator): Int32Array {
  const swapped = new Map<number, number>();
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const j = random.integer(i, population);
    const atJ = swapped.get(j) ?? j;
    out[i] = atJ;
    swapped.set(j, swapped.get(i) ?? i);
  }
  return out.sort();
}
