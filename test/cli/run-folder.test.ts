import { truncate, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { lockFileName } from '../../src/train/index.js';
import { makeFifo } from '../helpers/fifo.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runInProcess, runMain } from './run-cli.js';

/** A one-epoch synthetic run small enough for a unit test. */
const tiny = [
  'train',
  '--data',
  'synthetic',
  '--synthetic-identities',
  '2',
  '--synthetic-images',
  '3',
  '--input-size',
  '16',
  '--embedding-size',
  '8',
  '--batch-size',
  '6',
];

afterEach(() => {
  process.exitCode = 0;
});

describe('arcgrad train protects its run folder', () => {
  test('an --out that is a file or cannot be created fails before any training', async () => {
    const dir = tempDir('cli-run');
    await writeFile(join(dir, 'file'), 'x');
    const onFile = await runInProcess(...tiny, '--out', join(dir, 'file'));
    expect(onFile.exitCode).toBe(1);
    expect(onFile.errors).toContain(
      `arcgrad train: error: run folder ${join(dir, 'file')}: ${join(dir, 'file')} exists and is not a folder`,
    );
    expect(onFile.lines.some((line) => line.startsWith('training'))).toBe(false);
    const inProc = await runInProcess(...tiny, '--out', '/proc/arcgrad-x');
    expect(inProc.errors).toContain('run folder /proc/arcgrad-x: cannot create /proc/arcgrad-x (ENOENT)');
  });

  test('a second trainer on a held --out fails at once, naming the holder', async () => {
    const out = tempDir('cli-run');
    const holder = { pid: process.pid, host: hostname(), started: '2026-12-03T10:00:00.000Z' };
    await writeFile(join(out, lockFileName), JSON.stringify(holder));
    const second = await runInProcess(...tiny, '--out', out);
    expect(second.exitCode).toBe(1);
    expect(second.errors).toContain(
      `run folder ${out} is in use by another trainer (pid ${process.pid} on ${hostname()}, started 2026-12-03T10:00:00.000Z)`,
    );
  });

  test('a fresh run into a finished one refuses; --overwrite replaces it; --resume skips a truncated newest checkpoint', async () => {
    const out = join(tempDir('cli-run'), 'exp');
    expect((await runInProcess(...tiny, '--epochs', '2', '--out', out)).exitCode).toBe(0);
    const again = await runInProcess(...tiny, '--epochs', '1', '--out', out);
    expect(again.errors).toContain(`run folder ${out} already holds another run`);
    expect(again.errors).toContain('pass --resume to continue it or --overwrite to replace it');

    await truncate(join(out, 'checkpoint-epoch-002.safetensors'), 64);
    const resumed = await runInProcess('train', '--out', out, '--resume', '--epochs', '2');
    expect(resumed.exitCode).toBe(0);
    expect(resumed.lines[0]).toMatch(/^note: skipping .*checkpoint-epoch-002\.safetensors: checkpoint .*truncated/);
    expect(resumed.lines.join('\n')).toContain('resuming from');
    expect(resumed.lines.join('\n')).toContain('epoch 2/2');

    const replaced = await runInProcess(...tiny, '--epochs', '1', '--out', out, '--overwrite');
    expect(replaced.exitCode).toBe(0);
    expect(replaced.lines[0]).toBe(`note: removed 4 files of the previous run in ${out}`);
  });

  test('a FIFO as --model is refused before it is opened', async () => {
    const fifo = join(tempDir('cli-run'), 'model.safetensors');
    if (!makeFifo(fifo)) return;
    const tested = await runInProcess('test', '--model', fifo, '--pairs', 'pairs.txt');
    expect(tested.errors).toContain(`model file ${fifo}: cannot read (safetensors: ${fifo} is not a regular file)`);
  });

  test('--input-size above 512 is a flag error', () => {
    const huge = runMain('train', '--data', 'synthetic', '--input-size', '1000');
    expect(huge.status).toBe(1);
    expect(huge.stderr).toContain(
      "option '--input-size <px>' argument '1000' is invalid. expected an integer in [16, 512]",
    );
  });
});
