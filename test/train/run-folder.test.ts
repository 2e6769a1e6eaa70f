import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, test } from 'vitest';
import { defaultTrainConfig, lockFileName, openRunFolder, type TrainConfig, train } from '../../src/train/index.js';
import { tempDir } from '../helpers/temp-dir.js';

function tinyConfig(epochs: number): TrainConfig {
  return {
    ...defaultTrainConfig({ kind: 'synthetic', identities: 3, imagesPerIdentity: 2, seed: 1, variation: 0.3 }),
    inputSize: 16,
    resizeSide: 18,
    embeddingSize: 8,
    batchSize: 6,
    epochs,
  };
}

/** A child process that tries to take the lock of each folder it is sent; `next` is its next line. */
function startLockStarter(): { send(folder: string): void; next(): Promise<string>; stop(): void } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'lock-starter.child.ts')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    send: (folder) => child.stdin!.write(`${folder}\n`),
    next: async () => {
      const { value, done } = await lines.next();
      if (done) throw new Error('lock starter exited early');
      return value;
    },
    stop: () => child.stdin!.end(),
  };
}

/** A pid that ran and ended: a child that exits at once. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((done) => child.on('exit', done));
  return child.pid!;
}

describe('openRunFolder', () => {
  test('a second trainer on a held folder fails at once naming the holder; release frees it', async () => {
    const out = join(tempDir('run'), 'exp');
    const first = await openRunFolder(out);
    await expect(openRunFolder(out)).rejects.toThrow(
      new RegExp(`run folder ${out} is in use by another trainer \\(pid ${process.pid} on .+, started \\d{4}-`),
    );
    await first.release();
    expect(existsSync(join(out, lockFileName))).toBe(false);
    await (await openRunFolder(out)).release();
  });

  test('the lock of a process that no longer runs, or a damaged lock, is taken over', async () => {
    const out = tempDir('run');
    await writeFile(join(out, lockFileName), JSON.stringify({ pid: await deadPid(), host: hostname(), started: 'x' }));
    const folder = await openRunFolder(out);
    expect(JSON.parse(await readFile(join(out, lockFileName), 'utf8')).pid).toBe(process.pid);
    await folder.release();
    await writeFile(join(out, lockFileName), '{"pid": ');
    await (await openRunFolder(out)).release();
  });

  test('starters racing for one stale lock: exactly one takes it over, the others name the winner', async () => {
    const starters = Array.from({ length: 4 }, () => startLockStarter());
    try {
      await Promise.all(starters.map((starter) => starter.next()));
      const stale = JSON.stringify({ pid: await deadPid(), host: hostname(), started: 'x' });
      for (let round = 0; round < 6; round++) {
        const out = tempDir('race');
        await writeFile(join(out, lockFileName), stale);
        for (const starter of starters) starter.send(out);
        const answers = (await Promise.all(starters.map((starter) => starter.next()))).map(
          (line) => JSON.parse(line) as { won: boolean; message?: string },
        );
        const winners = answers.filter((answer) => answer.won);
        expect(winners).toHaveLength(1);
        const holder = JSON.parse(await readFile(join(out, lockFileName), 'utf8')).pid;
        for (const loser of answers.filter((answer) => !answer.won)) {
          expect(loser.message).toContain(`is in use by another trainer (pid ${holder} `);
        }
      }
    } finally {
      for (const starter of starters) starter.stop();
    }
  });

  test('a takeover claim left by a killed starter is an error naming the claim, not a hang', async () => {
    const out = tempDir('run');
    const stale = JSON.stringify({ pid: await deadPid(), host: hostname(), started: 'x' });
    await writeFile(join(out, lockFileName), stale);
    await writeFile(join(out, `${lockFileName}.takeover`), stale);
    await expect(openRunFolder(out)).rejects.toThrow(
      `run folder ${out}: another starter has been taking over the stale lock ${join(out, lockFileName)} for over 1 s; ` +
        `if no trainer is starting there, remove ${join(out, lockFileName)}.takeover`,
    );
  });

  test('a folder holding a run refuses a fresh start; --overwrite removes the old files, --resume continues', async () => {
    const out = tempDir('run');
    await train(tinyConfig(2), { outDir: out });
    await expect(openRunFolder(out)).rejects.toThrow(
      `run folder ${out} already holds another run (checkpoint-epoch-001.safetensors .. checkpoint-epoch-002.safetensors); pass --resume to continue it or --overwrite to replace it`,
    );
    const resumed = await openRunFolder(out, { resume: true });
    expect(resumed.checkpoint?.path).toBe(join(out, 'checkpoint-epoch-002.safetensors'));
    await resumed.release();
    const notices: string[] = [];
    const fresh = await openRunFolder(out, { overwrite: true, onNotice: (m) => notices.push(m) });
    expect(fresh.checkpoint).toBeNull();
    expect(notices).toEqual([`removed 4 files of the previous run in ${out}`]);
    expect((await readdir(out)).filter((name) => name.startsWith('checkpoint'))).toEqual([]);
    await fresh.release();
    await expect(openRunFolder(out, { resume: true, overwrite: true })).rejects.toThrow(
      'choose --resume or --overwrite, not both',
    );
  });

  test('temp files of killed writes are removed on the next start, other files are kept', async () => {
    const out = tempDir('run');
    const dead = await deadPid();
    const leftovers = [
      'checkpoint-epoch-003.safetensors.4242.1733200000000.tmp',
      '.checkpoint-epoch-003.json.4242.7.tmp',
      `.arcgrad-train.lock.${dead}.0.tmp`,
      `.arcgrad-train.lock.${dead}.tmp`,
      '.arcgrad-train.lock.takeover',
    ];
    // A live process's lock file (here the test runner's pid) may be racing for the lock right now: it stays.
    leftovers.push(`.arcgrad-train.lock.${process.ppid}.0.tmp`);
    for (const name of leftovers) await writeFile(join(out, name), 'partial');
    await writeFile(join(out, 'notes.tmp'), 'mine');
    const notices: string[] = [];
    const folder = await openRunFolder(out, { onNotice: (m) => notices.push(m) });
    await folder.release();
    expect((await readdir(out)).sort()).toEqual([`.arcgrad-train.lock.${process.ppid}.0.tmp`, 'notes.tmp']);
    expect(notices).toEqual([`removed 5 temporary files left by interrupted writes in ${out}`]);
  });

  test('--resume falls back past a truncated newest checkpoint, saying which it skipped and why', async () => {
    const out = tempDir('run');
    await train(tinyConfig(2), { outDir: out });
    await truncate(join(out, 'checkpoint-epoch-002.safetensors'), 100);
    const notices: string[] = [];
    const folder = await openRunFolder(out, { resume: true, onNotice: (m) => notices.push(m) });
    await folder.release();
    expect(folder.checkpoint?.path).toBe(join(out, 'checkpoint-epoch-001.safetensors'));
    expect(notices[0]).toMatch(
      new RegExp(`^skipping ${out}/checkpoint-epoch-002\\.safetensors: checkpoint .*truncated`),
    );
    const resumed = await train(tinyConfig(2), { outDir: out, resumeFrom: folder.checkpoint! });
    expect(resumed.state.epoch).toBe(2);
  });

  test('an --out that is a file, or below a file, or that cannot be created fails before any work', async () => {
    const dir = tempDir('run');
    await writeFile(join(dir, 'file'), 'x');
    await expect(openRunFolder(join(dir, 'file'))).rejects.toThrow(
      `run folder ${join(dir, 'file')}: ${join(dir, 'file')} exists and is not a folder`,
    );
    await expect(openRunFolder(join(dir, 'file', 'sub'))).rejects.toThrow('exists and is not a folder');
    await expect(openRunFolder('/proc/arcgrad-run')).rejects.toThrow(
      'run folder /proc/arcgrad-run: cannot create /proc/arcgrad-run',
    );
    await mkdir(join(dir, 'ok'));
    await (await openRunFolder(join(dir, 'ok', 'a', 'b'))).release();
  });
});
