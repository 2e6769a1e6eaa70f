import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { getCpuThreads, setCpuThreads } from '../../src/backend/index.js';
import { createProgram } from '../../src/cli/program.js';
import { encodePng, SyntheticFaces } from '../../src/data/index.js';
import { readSafetensors } from '../../src/io/index.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runInProcess, runMain } from './run-cli.js';

afterEach(() => {
  process.exitCode = 0;
});

describe('arcgrad command line', () => {
  test('--help lists the commands; every command has help with examples', () => {
    const help = runMain('--help');
    expect(help.status).toBe(0);
    for (const name of ['demo', 'train', 'test', 'verify', 'pairs', 'embed', 'plot'])
      expect(help.stdout).toContain(name);
    for (const command of createProgram().commands) {
      let text = '';
      command.configureOutput({ writeOut: (s) => (text += s) });
      command.outputHelp();
      expect(text, command.name()).toContain('Examples:');
      if (command.name() === 'train' || command.name() === 'demo') {
        for (const flag of ['--profile', '--threads <n>', '--backend <name>'])
          expect(text, command.name()).toContain(flag);
      }
    }
  });

  test('a bad flag value and a missing file give a clear error and exit code 1', () => {
    const badFlag = runMain('train', '--data', 'synthetic', '--lr', 'abc');
    expect(badFlag.status).toBe(1);
    expect(badFlag.stderr).toContain("option '--lr <x>' argument 'abc' is invalid. expected a number > 0, got 'abc'.");
    const unknown = runMain('pairs', 'faces', '--bogus');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("unknown option '--bogus'");
    const missing = runMain('test', '--model', 'missing.safetensors', '--pairs', 'pairs.txt');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('arcgrad test: error: model file missing.safetensors: cannot read (ENOENT)');
  });

  test('train without data and with a bad config file are errors naming the problem', async () => {
    expect((await runInProcess('train')).errors).toContain(
      "missing --data: an identity folder (one sub-folder per person) or 'synthetic'",
    );
    const dir = tempDir('cli');
    await writeFile(join(dir, 'bad.json'), '{"lr": -1}');
    const bad = await runInProcess('train', '--data', 'synthetic', '--config', join(dir, 'bad.json'));
    expect(bad.exitCode).toBe(1);
    expect(bad.errors).toContain('lr must be a number in');
    await writeFile(join(dir, 'typo.json'), '{"learningRate": 0.1}');
    expect((await runInProcess('train', '--data', 'synthetic', '--config', join(dir, 'typo.json'))).errors).toContain(
      "unknown field 'learningRate'",
    );
  });

  test('pairs, train, test, embed and plot work together on an identity folder of PNG faces', async () => {
    const dir = tempDir('cli');
    const faces = new SyntheticFaces({ identities: 3, imagesPerIdentity: 4, side: 20, seed: 9, variation: 0.3 });
    for (let i = 0; i < faces.size; i++) {
      const folder = join(dir, 'faces', `person${faces.label(i)}`);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, `${i % 4}.png`), encodePng(faces.render(i)));
    }
    const root = join(dir, 'faces');

    const pairs = await runInProcess('pairs', root, '--impostors', 'all', '--out', join(dir, 'pairs.txt'));
    expect(pairs.lines[0]).toContain('18 genuine + 48 impostor pairs over 3 identities');
    expect((await readFile(join(dir, 'pairs.txt'), 'utf8')).split('\n')[0]).toBe('person0/0.png person0/1.png 1');

    const out = join(dir, 'run');
    const trained = await runInProcess(
      'train',
      '--data',
      root,
      '--input-size',
      '16',
      '--embedding-size',
      '8',
      '--batch-size',
      '6',
      '--epochs',
      '1',
      '--out',
      out,
      '--json',
    );
    expect(trained.exitCode).toBe(0);
    expect(trained.lines.some((l) => l.startsWith('epoch 1/1  loss '))).toBe(true);
    const summary = JSON.parse(trained.lines.at(-1)!);
    expect(summary.checkpoint).toBe(join(out, 'checkpoint-epoch-001.safetensors'));

    const threadsBefore = getCpuThreads();
    const resumed = await runInProcess(
      'train',
      '--out',
      out,
      '--resume',
      '--epochs',
      '2',
      '--threads',
      '2',
      '--backend',
      'cpu',
      '--profile',
    );
    setCpuThreads(threadsBefore);
    const resumedText = resumed.lines.join('\n');
    expect(resumedText).toContain('epoch 2/2');
    expect(resumed.lines[0]).toMatch(/^backend: cpu/);
    expect(resumedText).toMatch(/profile of one training step[\s\S]*forward ops[\s\S]*conv2d[\s\S]*backward ops/);
    const changed = await runInProcess('train', '--out', out, '--resume', '--epochs', '3', '--lr', '0.5');
    expect(changed.errors).toContain('was trained with other settings (lr); only epochs may change on resume');

    const checkpoint = join(out, 'checkpoint-epoch-002.safetensors');
    const tested = await runInProcess(
      'test',
      '--model',
      checkpoint,
      '--pairs',
      join(dir, 'pairs.txt'),
      '--root',
      root,
      '--json',
      '--report',
      join(dir, 'report.json'),
      '--roc',
      join(dir, 'roc.svg'),
    );
    expect(tested.exitCode).toBe(0);
    const report = JSON.parse(tested.lines.at(-1)!);
    for (const key of ['kfoldAccuracy', 'kfoldStd', 'auc', 'bestThresholdAccuracy', 'threshold', 'seconds']) {
      expect(typeof report[key], key).toBe('number');
    }
    expect(report.pairs).toBe(66);
    expect(await readFile(join(dir, 'roc.svg'), 'utf8')).toContain('<svg');

    await runInProcess('embed', '--model', checkpoint, '--images', root, '--out', join(dir, 'e.json'));
    const embedded = JSON.parse(await readFile(join(dir, 'e.json'), 'utf8'));
    expect(Object.keys(embedded.embeddings).length).toBe(12);
    expect(embedded.embeddings['person2/3.png'].length).toBe(8);
    await runInProcess(
      'embed',
      '--model',
      checkpoint,
      '--images',
      join(root, 'person1'),
      '--out',
      join(dir, 'e.safetensors'),
    );
    const stored = readSafetensors(join(dir, 'e.safetensors'));
    expect(stored.tensors.get('embeddings')!.shape).toEqual([4, 8]);
    expect(JSON.parse(stored.metadata.names)).toEqual(['0.png', '1.png', '2.png', '3.png']);

    for (const [kind, flag, value] of [
      ['arcface', '--margin', '0.5'],
      ['loss', '--checkpoint', checkpoint],
      ['roc', '--report', join(dir, 'report.json')],
    ]) {
      const plotted = await runInProcess('plot', kind, flag, value, '--out', join(dir, `${kind}.svg`));
      expect(plotted.exitCode, kind).toBe(0);
      expect(await readFile(join(dir, `${kind}.svg`), 'utf8')).toMatch(/^<svg/);
    }
  });
});
