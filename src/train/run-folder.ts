import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type LoadedCheckpoint, readCheckpoint } from './checkpoint.js';

/** Options of {@link openRunFolder}. */
export interface RunFolderOptions {
  /** Continue the run the folder holds (its newest checkpoint that loads). */
  resume?: boolean;
  /** Remove the checkpoints of the run the folder holds and start afresh. */
  overwrite?: boolean;
  /** Told of what was cleaned up or skipped (a checkpoint that does not load, leftover temp files). */
  onNotice?: (message: string) => void;
}

/** A run folder held by this process: nobody else trains into it until `release`. */
export interface RunFolder {
  path: string;
  /** The checkpoint to resume from (with `resume`), else null. */
  checkpoint: LoadedCheckpoint | null;
  /** Removes the lock; also done when the process exits. */
  release(): Promise<void>;
}

/** The lock file's name inside a run folder. */
export const lockFileName = '.arcgrad-train.lock';

/** What a lock file says about its holder. */
interface LockHolder {
  pid: number;
  host: string;
  started: string;
}

const checkpointFile = /^checkpoint-epoch-(\d+)\.(safetensors|json)$/;
// Temporary files of saveSafetensors (`<name>.<pid>.<time>.tmp`) and writeFileAtomic
// (`.<name>.<pid>.<n>.tmp`), and a takeover claim whose starter was killed.
const temporaryFile = /^(\.?checkpoint-epoch-\d+\.(safetensors|json)(\.\d+)+\.tmp|\.arcgrad-train\.lock\.takeover)$/;
// A starter's lock before it is linked into place (`.arcgrad-train.lock.<pid>.<n>.tmp`): another
// starter may be racing for the lock right now, so only a dead process's file is removed.
const lockTemporaryFile = /^\.arcgrad-train\.lock\.(\d+)(\.\d+)*\.tmp$/;

/**
 * Prepares `path` for a training run before any work is done: checks that it is (or can become) a
 * writable folder, takes its lock (a second trainer fails at once, naming the holder; the lock of a
 * process that no longer runs is taken over), removes temporary files that killed writes left, and
 * refuses a folder that already holds checkpoints unless `resume` (continue the newest one that
 * loads, telling which were skipped and why) or `overwrite` (remove them first).
 */
export async function openRunFolder(path: string, options: RunFolderOptions = {}): Promise<RunFolder> {
  if (options.resume && options.overwrite)
    throw new Error(`run folder ${path}: choose --resume or --overwrite, not both`);
  await makeFolder(path);
  const release = await takeLock(path);
  try {
    const names = await readdir(path);
    const leftovers = names.filter((name) => {
      const lockTemporary = lockTemporaryFile.exec(name);
      if (lockTemporary) return !holderIsAlive({ pid: Number(lockTemporary[1]), host: hostname(), started: '' });
      return temporaryFile.test(name);
    });
    for (const name of leftovers) await rm(join(path, name), { force: true });
    if (leftovers.length > 0) {
      options.onNotice?.(`removed ${leftovers.length} temporary files left by interrupted writes in ${path}`);
    }
    const checkpoints = names.filter((name) => checkpointFile.test(name)).sort();
    let checkpoint: LoadedCheckpoint | null = null;
    if (options.resume) {
      checkpoint = await newestLoadableCheckpoint(path, options.onNotice);
    } else if (checkpoints.length > 0 && options.overwrite) {
      for (const name of checkpoints) await rm(join(path, name), { force: true });
      options.onNotice?.(`removed ${checkpoints.length} files of the previous run in ${path}`);
    } else if (checkpoints.length > 0) {
      const weights = checkpoints.filter((name) => name.endsWith('.safetensors'));
      const shown = weights.length > 0 ? weights : checkpoints;
      throw new Error(
        `run folder ${path} already holds another run (${shown.length === 1 ? shown[0] : `${shown[0]} .. ${shown.at(-1)}`}); ` +
          'pass --resume to continue it or --overwrite to replace it',
      );
    }
    return { path, checkpoint, release };
  } catch (error) {
    await release();
    throw error;
  }
}

/**
 * The newest checkpoint in `folder` that reads and validates; each newer one that does not is
 * skipped with a notice saying why (a write killed before the rename leaves none, but a disk can
 * still truncate a file). Throws when there is no checkpoint, or none that loads.
 */
export async function newestLoadableCheckpoint(
  folder: string,
  onNotice?: (message: string) => void,
): Promise<LoadedCheckpoint> {
  const names = (await readdir(folder).catch(() => [] as string[]))
    .map((name) => ({ name, match: checkpointFile.exec(name) }))
    .filter(({ match }) => match !== null && match[2] === 'safetensors')
    .sort((a, b) => Number(b.match![1]) - Number(a.match![1]));
  if (names.length === 0) throw new Error(`train --resume: no checkpoint-epoch-*.safetensors in ${folder}`);
  const reasons: string[] = [];
  for (const { name } of names) {
    try {
      return readCheckpoint(join(folder, name));
    } catch (error) {
      const reason = (error as Error).message;
      reasons.push(reason);
      onNotice?.(`skipping ${join(folder, name)}: ${reason}`);
    }
  }
  throw new Error(`train --resume: no checkpoint in ${folder} loads:\n  ${reasons.join('\n  ')}`);
}

/**
 * Creates `path` and its missing parents one level at a time. (Node's recursive mkdir never returns
 * under /proc, and a file in the way would otherwise be found only when the first checkpoint is saved.)
 */
async function makeFolder(path: string): Promise<void> {
  const missing: string[] = [];
  for (let current = resolve(path); ; current = dirname(current)) {
    const info = await stat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
      throw new Error(`run folder ${path}: cannot inspect ${current} (${error.code ?? error.message})`);
    });
    if (info?.isDirectory()) break;
    if (info) throw new Error(`run folder ${path}: ${current} exists and is not a folder`);
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const folder of missing) {
    await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw new Error(`run folder ${path}: cannot create ${folder} (${error.code})`);
    });
  }
}

/** How long a starter waits for another one's takeover of a stale lock to finish. */
const takeoverWaitMs = 1000;
let lockAttempt = 0;

/**
 * Takes the folder's lock, or throws naming the live holder; returns the function that releases it.
 *
 * A fresh lock is a complete file linked into place (link fails if the lock exists, atomically, and
 * a lock never exists half-written). A stale lock is taken over in three steps, so that two starters
 * finding the same stale lock cannot both win: hard-link it to the claim file (link is exclusive,
 * so one starter holds the claim), check that the claim is still the stale lock that was read (a
 * starter that read it just before another's takeover finished has linked the new, live lock), and
 * rename this process's lock over it. The lock file never goes missing, so nobody slips in between.
 */
async function takeLock(folder: string): Promise<() => Promise<void>> {
  const lockPath = join(folder, lockFileName);
  const claimPath = `${lockPath}.takeover`;
  const me: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  const text = `${JSON.stringify(me)}\n`;
  // Unique per attempt: two starters in one process must not share (and remove) one temporary file.
  const temporary = `${lockPath}.${process.pid}.${lockAttempt++}.tmp`;
  await writeFile(temporary, text).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`run folder ${folder}: not writable (${error.code ?? error.message})`);
  });
  try {
    const deadline = Date.now() + takeoverWaitMs;
    for (;;) {
      if (await linkOrExists(temporary, lockPath, folder)) break;
      const staleText = await readFile(lockPath, 'utf8').catch(() => null);
      if (staleText === null) continue; // released meanwhile: try a fresh lock again
      const holder = parseHolder(staleText);
      if (holder !== null && holderIsAlive(holder)) {
        throw new Error(
          `run folder ${folder} is in use by another trainer (pid ${holder.pid} on ${holder.host}, started ${holder.started}); ` +
            `wait for it to finish or stop it (its lock: ${lockPath})`,
        );
      }
      if (await linkOrExists(lockPath, claimPath, folder)) {
        try {
          if ((await readFile(claimPath, 'utf8').catch(() => null)) === staleText) {
            await rename(temporary, lockPath);
            break;
          }
        } finally {
          await rm(claimPath, { force: true });
        }
      } else if (Date.now() > deadline) {
        throw new Error(
          `run folder ${folder}: another starter has been taking over the stale lock ${lockPath} for over ` +
            `${takeoverWaitMs / 1000} s; if no trainer is starting there, remove ${claimPath}`,
        );
      } else {
        await new Promise((done) => setTimeout(done, 10));
      }
    }
  } finally {
    await rm(temporary, { force: true });
  }
  const onExit = (): void => {
    removeOwnLockSync(lockPath, text);
  };
  process.on('exit', onExit);
  return async () => {
    process.off('exit', onExit);
    removeOwnLockSync(lockPath, text);
  };
}

/** Hard-links `from` to `to`: true when linked, false when `to` exists; other failures name the lock. */
async function linkOrExists(from: string, to: string, folder: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOENT from the lock itself: it was released between our attempts; try again.
    if (code === 'EEXIST' || (code === 'ENOENT' && from.endsWith(lockFileName))) return false;
    throw new Error(`run folder ${folder}: cannot take the lock ${to} (${(error as Error).message})`);
  }
}

/** The holder a lock's text names, or null when it is not a lock (a damaged lock is treated as stale). */
function parseHolder(text: string): LockHolder | null {
  try {
    const holder = JSON.parse(text) as Partial<LockHolder>;
    if (!Number.isSafeInteger(holder.pid) || typeof holder.host !== 'string') return null;
    return { pid: holder.pid as number, host: holder.host, started: String(holder.started) };
  } catch {
    return null;
  }
}

/** Whether the holder may still run: a live pid on this host, or any holder on another host (unknowable). */
function holderIsAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the lock if it is still this process's (a lock taken over from us is left alone). */
function removeOwnLockSync(lockPath: string, text: string): void {
  try {
    if (readFileSync(lockPath, 'utf8') === text) unlinkSync(lockPath);
  } catch {
    // Already gone: nothing to release.
  }
}
