import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { IdentityFolder, parseIdentitySelection, selectIdentities } from '../../src/data/index.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Writes a 1 x 1 P2 image of grey level `level` out of 9. */
const pgm = (level: number): string => `P2 1 1 9 ${level}\n`;

async function makeFolder(layout: Record<string, Record<string, string>>): Promise<string> {
  const root = tempDir('folder');
  for (const [identity, files] of Object.entries(layout)) {
    await mkdir(join(root, identity));
    for (const [name, content] of Object.entries(files)) await writeFile(join(root, identity, name), content);
  }
  return root;
}

describe('IdentityFolder', () => {
  test('identities and files are sorted by code unit; labels follow identity order; non-images are ignored', async () => {
    const root = await makeFolder({
      s2: { 'b.pgm': pgm(1), 'a.PGM': pgm(2), 'notes.txt': 'not an image' },
      s10: { '1.pgm': pgm(3) },
      s1: { '1.pgm': pgm(4) },
    });
    const folder = await IdentityFolder.open(root);
    expect(folder.classNames).toEqual(['s1', 's10', 's2']);
    expect(Array.from({ length: folder.size }, (_, i) => folder.relativePath(i))).toEqual([
      's1/1.pgm',
      's10/1.pgm',
      's2/a.PGM',
      's2/b.pgm',
    ]);
    expect(Array.from({ length: folder.size }, (_, i) => folder.label(i))).toEqual([0, 1, 2, 2]);
    expect((await folder.load(2)).pixels[0]).toBeCloseTo(2 / 9, 6);
  });

  test('a missing root, a root without identities and an empty identity are errors naming the path', async () => {
    await expect(IdentityFolder.open('/nonexistent/faces')).rejects.toThrow(
      'IdentityFolder: cannot read folder /nonexistent/faces (ENOENT)',
    );
    const flat = tempDir('flat');
    await writeFile(join(flat, '1.pgm'), pgm(1));
    await expect(IdentityFolder.open(flat)).rejects.toThrow(
      'has no sub-folders (expected one folder of images per identity)',
    );
    const root = await makeFolder({ a: { '1.pgm': pgm(1) }, b: {} });
    await expect(IdentityFolder.open(root)).rejects.toThrow(`identity folder ${join(root, 'b')} has no images`);
  });

  test('selecting identities by range relabels them in order', async () => {
    const root = await makeFolder({ s1: { '1.pgm': pgm(1) }, s2: { '1.pgm': pgm(2) }, s3: { '1.pgm': pgm(3) } });
    const subset = selectIdentities(await IdentityFolder.open(root), parseIdentitySelection('s2..s3'));
    expect(subset.classNames).toEqual(['s2', 's3']);
    expect([subset.label(0), subset.label(1)]).toEqual([0, 1]);
    expect(subset.describe(1)).toBe(join(root, 's3', '1.pgm'));
    expect(() => parseIdentitySelection('a1..b3')).toThrow("different prefixes 'a' and 'b'");
    expect(() => parseIdentitySelection(' , ')).toThrow('selects no identity');
  });
});
