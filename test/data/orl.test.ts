import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { IdentityFolder } from '../../src/data/index.js';

// The ORL faces live outside the repository (no licence to copy them in): ../shared/datasets/orl_faces.
const orlRoot = resolve(import.meta.dirname, '../../../shared/datasets/orl_faces');
const absent = !existsSync(orlRoot);

describe(absent ? `ORL smoke test (skipped: ${orlRoot} is absent)` : 'ORL smoke test', () => {
  test.skipIf(absent)('40 identities of 10 PGM images, 92 x 112, s1/1.pgm as documented', async () => {
    const orl = await IdentityFolder.open(orlRoot);
    expect(orl.classNames.length).toBe(40);
    expect(orl.size).toBe(400);
    expect(orl.relativePath(0)).toBe('s1/1.pgm');
    const digest = createHash('sha256')
      .update(await readFile(join(orlRoot, 's1', '1.pgm')))
      .digest('hex');
    expect(digest).toBe('0198d5a79bb658bd75a79448880d9cf47d76c558c1a927244c004d26fb1e0499');
    const image = await orl.load(0);
    expect([image.width, image.height]).toEqual([92, 112]);
    const mean = image.pixels.reduce((a, b) => a + b, 0) / image.pixels.length;
    expect(mean).toBeGreaterThan(0.1);
    expect(mean).toBeLessThan(0.9);
  });
});
