import { describe, expect, test } from 'vitest';
import { formatPairList, makeVerificationPairs, parsePairList } from '../../src/eval/index.js';

describe('pair lists', () => {
  test('parses the reference recipe pair format, skipping blank lines and comments, and formats it back', () => {
    const text = '# header\ns1/1.pgm s1/2.pgm 1\n\n  s1/1.pgm\ts2/1.pgm   0  \n';
    const pairs = parsePairList(text);
    expect(pairs).toEqual([
      { first: 's1/1.pgm', second: 's1/2.pgm', same: true },
      { first: 's1/1.pgm', second: 's2/1.pgm', same: false },
    ]);
    expect(parsePairList(formatPairList(pairs))).toEqual(pairs);
  });

  test('bad lines are rejected with the source and line number', () => {
    expect(() => parsePairList('a b 1\na b\n', 'pairs.txt')).toThrow(
      "parsePairList: pairs.txt line 2: expected 'img1 img2 label' (3 fields), got 2: 'a b'",
    );
    expect(() => parsePairList('a b 1\r\n\r\na b yes\r\n', 'p')).toThrow(
      "parsePairList: p line 3: label must be 0 or 1, got 'yes'",
    );
    expect(() => parsePairList('a b 2')).toThrow('line 1: label must be 0 or 1');
    expect(() => parsePairList('# nothing\n', 'empty.txt')).toThrow('parsePairList: empty.txt has no pairs');
  });

  test('makes every genuine pair, positives first, then a balanced seeded sample of distinct impostors', () => {
    const names = ['a1', 'a2', 'a3', 'b1', 'b2', 'c1'];
    const labels = [0, 0, 0, 1, 1, 2];
    const pairs = makeVerificationPairs(names, labels, { seed: 5 });
    const genuine = pairs.filter((p) => p.same);
    expect(genuine.map((p) => `${p.first}-${p.second}`)).toEqual(['a1-a2', 'a1-a3', 'a2-a3', 'b1-b2']);
    expect(pairs.slice(0, 4).every((p) => p.same)).toBe(true);
    const impostors = pairs.slice(4);
    expect(impostors.length).toBe(4);
    expect(new Set(impostors.map((p) => `${p.first}-${p.second}`)).size).toBe(4);
    for (const p of impostors) expect(p.first[0]).not.toBe(p.second[0]);
    expect(makeVerificationPairs(names, labels, { seed: 5 })).toEqual(pairs);
    expect(makeVerificationPairs(names, labels, { impostors: 'all' }).length).toBe(4 + 11);
  });

  test('ORL-sized split: 10 identities x 10 images give 450 genuine and 4500 impostor pairs', () => {
    const names = Array.from({ length: 100 }, (_, i) => `s${31 + Math.floor(i / 10)}/${(i % 10) + 1}.pgm`);
    const labels = Array.from({ length: 100 }, (_, i) => Math.floor(i / 10));
    expect(makeVerificationPairs(names, labels, { impostors: 'all' }).length).toBe(4950);
    expect(makeVerificationPairs(names, labels).length).toBe(900);
    expect(() => makeVerificationPairs(names, labels, { impostors: 4501 })).toThrow(
      'asked for 4501 impostor pairs but only 4500 exist',
    );
  });
});
