import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { encodePng, SyntheticFaces } from '../../src/data/index.js';
import { pytorchDTypes, readSafetensors, saveSafetensors } from '../../src/io/index.js';
import { buildFaceModel } from '../../src/train/index.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runInProcess } from './run-cli.js';

afterEach(() => {
  process.exitCode = 0;
});

const norm = (vector: readonly number[]): number => Math.hypot(...vector);

describe('arcgrad embed', () => {
  test('writes unit-length embeddings by default and the raw outputs, same directions, with --raw', async () => {
    const dir = tempDir('embed');
    const faces = new SyntheticFaces({ identities: 1, imagesPerIdentity: 3, side: 20, seed: 5 });
    await mkdir(join(dir, 'photos'));
    for (let i = 0; i < faces.size; i++) await writeFile(join(dir, 'photos', `${i}.png`), encodePng(faces.render(i)));
    const model = join(dir, 'model.safetensors');
    const state = buildFaceModel(16, 8).stateDict();
    saveSafetensors(model, state, { dtypes: pytorchDTypes(state) });
    const common = ['--model', model, '--input-size', '16', '--images', join(dir, 'photos')];

    const unit = await runInProcess('embed', ...common, '--out', join(dir, 'unit.json'));
    expect(unit.lines[0]).toContain('3 unit-length embeddings of length 8 (json)');
    const raw = await runInProcess('embed', ...common, '--out', join(dir, 'raw.json'), '--raw');
    expect(raw.lines[0]).toContain('3 raw embeddings of length 8');
    const unitFile = JSON.parse(await readFile(join(dir, 'unit.json'), 'utf8'));
    const rawFile = JSON.parse(await readFile(join(dir, 'raw.json'), 'utf8'));
    expect([unitFile.normalized, rawFile.normalized]).toEqual([true, false]);
    for (const name of ['0.png', '1.png', '2.png']) {
      const u: number[] = unitFile.embeddings[name];
      const r: number[] = rawFile.embeddings[name];
      expect(norm(u)).toBeCloseTo(1, 5);
      expect(Math.abs(norm(r) - 1)).toBeGreaterThan(1e-3);
      u.forEach((x, d) => {
        expect(x).toBeCloseTo(r[d] / norm(r), 5);
      });
    }

    await runInProcess('embed', ...common, '--out', join(dir, 'unit.safetensors'));
    const stored = readSafetensors(join(dir, 'unit.safetensors'));
    expect(stored.metadata.normalized).toBe('true');
    const rows = stored.tensors.get('embeddings')!;
    expect(norm(Array.from(rows.data.subarray(0, 8)))).toBeCloseTo(1, 5);
  });
});
