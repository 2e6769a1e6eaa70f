import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { encodePng, SyntheticFaces } from '../../src/data/index.js';
import { pytorchDTypes, saveSafetensors } from '../../src/io/index.js';
import { buildFaceModel, readCalibration } from '../../src/train/index.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runInProcess, runMain } from './run-cli.js';

afterEach(() => {
  process.exitCode = 0;
});

/** A folder of PNG faces (3 people x 4 photos), a pair list over them, and untrained plain weights. */
async function fixture(): Promise<{ dir: string; root: string; model: string; pairs: string }> {
  const dir = tempDir('verify');
  const root = join(dir, 'faces');
  const faces = new SyntheticFaces({ identities: 3, imagesPerIdentity: 4, side: 20, seed: 4, variation: 0.2 });
  for (let i = 0; i < faces.size; i++) {
    await mkdir(join(root, `p${faces.label(i)}`), { recursive: true });
    await writeFile(join(root, `p${faces.label(i)}`, `${i % 4}.png`), encodePng(faces.render(i)));
  }
  const model = join(dir, 'model.safetensors');
  const state = buildFaceModel(16, 8).eval().stateDict();
  saveSafetensors(model, state, { dtypes: pytorchDTypes(state) });
  const pairs = join(dir, 'pairs.txt');
  expect((await runInProcess('pairs', root, '--impostors', 'all', '--out', pairs)).exitCode).toBe(0);
  return { dir, root, model, pairs };
}

describe('arcgrad verify', () => {
  test('after arcgrad test stores a calibration, two copies of one image are the same person', async () => {
    const { root, model, pairs } = await fixture();
    const image = join(root, 'p0', '0.png');
    const before = await runInProcess('verify', image, image, '--model', model, '--input-size', '16');
    expect(before.exitCode).toBe(1);
    expect(before.errors).toContain(
      `arcgrad verify: error: model file ${model} has no stored calibration; run \`arcgrad test --model ${model} --pairs <pair list>\` first`,
    );
    const tested = await runInProcess('test', '--model', model, '--input-size', '16', '--pairs', pairs, '--root', root);
    expect(tested.exitCode).toBe(0);
    expect(tested.lines.join('\n')).toContain(`calibration stored in ${model}`);
    expect(readCalibration(model)?.pairCount).toBe(66);

    const json = await runInProcess('verify', image, image, '--model', model, '--input-size', '16', '--json');
    expect(json.exitCode).toBe(0);
    const answer = JSON.parse(json.lines.at(-1)!);
    expect(answer.similarity).toBeCloseTo(1, 5);
    expect(answer.same).toBe(true);
    expect(answer.at).toBe('best');
    const text = await runInProcess(
      'verify',
      image,
      join(root, 'p1', '0.png'),
      '--model',
      model,
      '--input-size',
      '16',
      '--at',
      'far=1e-2',
    );
    expect(text.exitCode).toBe(0);
    expect(text.lines[0]).toMatch(/^cosine similarity: -?\d\.\d{4}$/);
    expect(text.lines[1]).toMatch(/^decision at far=1e-2 \(threshold -?\d\.\d{4}\): (same person|different people)$/);
  });

  test('--no-store leaves the model file uncalibrated', async () => {
    const { root, model, pairs } = await fixture();
    const tested = await runInProcess(
      'test',
      '--model',
      model,
      '--input-size',
      '16',
      '--pairs',
      pairs,
      '--root',
      root,
      '--no-store',
    );
    expect(tested.exitCode).toBe(0);
    expect(readCalibration(model)).toBeNull();
  });

  test('a missing model, an unreadable image and a bad --at are clear errors', async () => {
    const { dir, root, model, pairs } = await fixture();
    const image = join(root, 'p0', '0.png');
    const missing = await runInProcess('verify', image, image, '--model', join(dir, 'none.safetensors'));
    expect(missing.errors).toContain(
      `arcgrad verify: error: model file ${join(dir, 'none.safetensors')}: cannot read (ENOENT)`,
    );
    await runInProcess('test', '--model', model, '--input-size', '16', '--pairs', pairs, '--root', root);
    const absent = await runInProcess('verify', image, join(dir, 'absent.png'), '--model', model, '--input-size', '16');
    expect(absent.exitCode).toBe(1);
    expect(absent.errors).toContain(`readImageFile: cannot read ${join(dir, 'absent.png')} (ENOENT)`);
    await writeFile(join(dir, 'text.png'), 'not an image');
    const corrupt = await runInProcess('verify', image, join(dir, 'text.png'), '--model', model, '--input-size', '16');
    expect(corrupt.errors).toContain(`decodeImage: ${join(dir, 'text.png')}: not a PGM, PNG or JPEG file`);
    // A bad flag value makes commander exit, so this one runs as a user would, in its own process.
    const badAt = runMain('verify', image, image, '--model', model, '--at', 'worst');
    expect(badAt.status).toBe(1);
    expect(badAt.stderr).toContain(
      "option '--at <point>' argument 'worst' is invalid. expected 'best' or 'far=<rate>' such as far=1e-3, got 'worst'.",
    );
    const unstored = await runInProcess(
      'verify',
      image,
      image,
      '--model',
      model,
      '--input-size',
      '16',
      '--at',
      'far=1e-4',
    );
    expect(unstored.errors).toContain(
      "no operating point 'far=1e-4' in the calibration; stored: best, far=1e-2, far=1e-3",
    );
  });
});
