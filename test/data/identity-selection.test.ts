import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  encodePng,
  grayImage,
  IdentityFolder,
  ImageFileList,
  missingIdentities,
  parseIdentitySelection,
} from '../../src/data/index.js';
import { defaultTrainConfig, openTrainingSource } from '../../src/train/index.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A folder with one 4 x 4 PNG for each of the given identities. */
async function folderOf(...identities: string[]): Promise<string> {
  const root = tempDir('select');
  for (const name of identities) {
    await mkdir(join(root, name));
    await writeFile(join(root, name, '1.png'), encodePng(grayImage(4, 4, new Float32Array(16).fill(0.5))));
  }
  return root;
}

describe('identity selections', () => {
  test('the selection lists what it asks for; the identities a folder lacks are named in order', async () => {
    const root = await folderOf('s1', 's2', 's4');
    const selection = parseIdentitySelection('s1..s4,bob');
    expect([...selection.names]).toEqual(['s1', 's2', 's3', 's4', 'bob']);
    expect(missingIdentities(await IdentityFolder.open(root), selection)).toEqual(['s3', 'bob']);
  });

  test('a range that would expand to millions of names is an error', () => {
    expect(() => parseIdentitySelection('s1..s1000000000')).toThrow(
      'parseIdentitySelection: range s1..s1000000000 names 1000000000 identities, more than 100000',
    );
  });

  test('training data: missing identities are a notice, fewer than two identities an error', async () => {
    const root = await folderOf('s1', 's2');
    const notices: string[] = [];
    const config = (identities: string) => defaultTrainConfig({ kind: 'folder', root, identities });
    const source = await openTrainingSource(config('s1..s9'), (m) => notices.push(m));
    expect(source.classNames).toEqual(['s1', 's2']);
    expect(notices).toEqual([`--identities s1..s9: 7 of 9 not in ${root} (s3, s4, s5, s6, s7, s8, s9)`]);
    await expect(openTrainingSource(config('s2'))).rejects.toThrow(
      `train: training needs at least two identities; ${root} selected by --identities s2 has 1 (s2)`,
    );
  });

  test('an image list confined to its root refuses absolute paths and ../ escapes', () => {
    expect(() => new ImageFileList(['a/1.png', '/etc/passwd'], 'faces', { confineToRoot: true })).toThrow(
      "ImageFileList: '/etc/passwd' is outside the root faces",
    );
    expect(() => new ImageFileList(['../../x.png'], 'faces', { confineToRoot: true })).toThrow(
      "ImageFileList: '../../x.png' is outside the root faces",
    );
    expect(new ImageFileList(['/etc/passwd'], 'faces').paths).toEqual(['/etc/passwd']);
  });
});
