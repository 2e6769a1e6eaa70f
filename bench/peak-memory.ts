/**
 * Peak resident memory of one FaceMobileNet + ArcFace + focal loss + SGD training step, arcgrad
 * (CPU backend) against PyTorch 1.13 CPU; the target is at most 2x PyTorch's peak at batch 64.
 * Each engine and batch runs in a fresh child process, because VmHWM is a per-process high-water
 * mark: measured in this process it would include whatever ran before.
 * Usage: npx tsx bench/peak-memory.ts [--batch 64[,16...]] [--json out.json] (default
 * bench/results/<date>-peak-memory.json). `npm run bench` runs it after bench/run.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { firstLine } from './lib/kernel-suite.js';
import { describeMachine } from './lib/machine.js';
import { formatNumber, markdownTable, writeJsonAtomic } from './lib/results.js';

/** What a child prints (one JSON line), plus the engine and batch it ran. */
interface MemoryRow {
  engine: 'arcgrad' | 'pytorch';
  batch: number;
  status: 'ok' | 'skipped' | 'failed';
  note: string | null;
  baselineRssMiB: number | null;
  peakRssMiB: number | null;
  threads?: number;
  steps?: number;
  seconds?: number;
  losses?: number[];
  torch?: string;
}

const python = process.env.ARCGRAD_PYTHON ?? '/usr/bin/python3';
const arcgradChild = fileURLToPath(new URL('./lib/peak-memory-arcgrad.child.ts', import.meta.url));
const torchChild = fileURLToPath(new URL('./peers/torch_peak_memory.py', import.meta.url));
const seedDir = process.env.SEED_DIR ?? fileURLToPath(new URL('../../shared/seed', import.meta.url));

/** Runs one child and reads its JSON line; a crash or bad output becomes a failed row, not a crash here. */
function runChild(engine: MemoryRow['engine'], batch: number, command: string, args: string[]): MemoryRow {
  const empty = { engine, batch, baselineRssMiB: null, peakRssMiB: null };
  const run = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) {
    // Node and Python print a source excerpt before the error itself: report the error line.
    const lines = (run.stderr ?? '').split('\n');
    const message =
      lines.find((line) => /^\w*(Error|Exception)\b/.test(line)) ?? firstLine(run.error ?? `exit ${run.status}`);
    return { ...empty, status: 'failed', note: message };
  }
  try {
    return {
      ...empty,
      status: 'ok',
      note: null,
      ...(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as object),
    };
  } catch (error) {
    return { ...empty, status: 'failed', note: `child printed no JSON: ${firstLine(error)}` };
  }
}

/** Why PyTorch cannot run here, or null when it can. */
function torchMissing(): string | null {
  if (!existsSync(python)) return `${python} does not exist`;
  if (spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status !== 0)
    return `${python} cannot import torch`;
  if (!existsSync(`${seedDir}/torch_reference.py`)) return `no torch_reference.py in ${seedDir} (set SEED_DIR)`;
  return null;
}

function main(): void {
  const { values } = parseArgs({ options: { batch: { type: 'string', default: '64' }, json: { type: 'string' } } });
  const batches = values.batch.split(',').map(Number);
  if (!batches.every((batch) => Number.isInteger(batch) && batch > 0)) {
    throw new Error(`peak-memory: --batch expects positive integers separated by commas, got '${values.batch}'`);
  }
  const command = `npx tsx bench/peak-memory.ts ${process.argv.slice(2).join(' ')}`.trim();
  const machine = describeMachine();
  const date = new Date().toISOString();
  const skipReason = torchMissing();
  const rows: MemoryRow[] = [];
  for (const batch of batches) {
    rows.push(runChild('arcgrad', batch, process.execPath, ['--import', 'tsx', arcgradChild, String(batch)]));
    rows.push(
      skipReason
        ? { engine: 'pytorch', batch, status: 'skipped', note: skipReason, baselineRssMiB: null, peakRssMiB: null }
        : runChild('pytorch', batch, python, [torchChild, String(batch)]),
    );
  }
  const peakOf = (engine: MemoryRow['engine'], batch: number) =>
    rows.find((row) => row.engine === engine && row.batch === batch)?.peakRssMiB ?? null;
  const table = rows.map((row) => {
    const torchPeak = peakOf('pytorch', row.batch);
    const arcgradPeak = peakOf('arcgrad', row.batch);
    const ratio = row.engine === 'arcgrad' && torchPeak && arcgradPeak ? arcgradPeak / torchPeak : null;
    const growth = row.peakRssMiB !== null && row.baselineRssMiB !== null ? row.peakRssMiB - row.baselineRssMiB : null;
    return [
      `${row.engine === 'arcgrad' ? 'arcgrad cpu' : `PyTorch ${row.torch ?? ''}`.trim()}` +
        (row.threads ? ` (${row.threads} threads)` : ''),
      String(row.batch),
      formatNumber(row.baselineRssMiB, 4),
      formatNumber(row.peakRssMiB, 4),
      formatNumber(growth, 4),
      formatNumber(ratio),
      row.status === 'ok' ? `2 steps in ${formatNumber(row.seconds)} s` : `${row.status}: ${row.note}`,
    ];
  });
  const header = [
    'engine',
    'batch',
    'baseline RSS MiB',
    'peak RSS MiB',
    'peak - baseline MiB',
    'arcgrad/PyTorch peak',
    'note',
  ];
  console.log(`Peak RSS of a FaceMobileNet + ArcFace + focal loss + SGD training step (1x128x128, 1000 classes)\n`);
  console.log(markdownTable(header, table));
  console.log(
    `\nMachine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ` +
      `load ${String(machine.loadAverageAtStart)}, commit ${machine.gitCommit}\nDate: ${date}\nCommand: ${command}`,
  );
  // Like bench/run.ts, results land in bench/results under the date unless --json names a file.
  const jsonPath = values.json ?? `bench/results/${date.slice(0, 16).replace(':', '')}-peak-memory.json`;
  writeJsonAtomic(jsonPath, { date, command, machine, rows });
  console.log(`wrote ${jsonPath}`);
}

try {
  main();
} catch (error) {
  // Bad flags get one clear line, not a stack trace.
  console.error(firstLine(error));
  process.exitCode = 1;
}
