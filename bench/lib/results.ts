import { renameSync, writeFileSync } from 'node:fs';
import type { Timing } from './measure.js';

/** Who computed a row: arcgrad itself or a peer library. */
export type Engine = 'arcgrad' | 'tfjs' | 'pytorch';

/** One kernel problem on one backend. Times are milliseconds; null where the row did not run. */
export interface KernelRow {
  kernel: string;
  /** The workload's stable id (shared by every backend that ran it). */
  caseId: string;
  /** The FaceMobileNet layers or model matmul the shape comes from. */
  label: string;
  shape: string;
  engine: Engine;
  /** Backend as the user selects it, e.g. 'cpu', 'gpu.js webasm', 'tfjs-wasm', 'pytorch'. */
  backend: string;
  /** What actually ran: the gpu.js kernel class from backendInfo, or the peer's kernel / formulation. */
  kernelClass: string;
  status: 'ok' | 'skipped' | 'failed';
  /** Why a row was skipped or failed, or what to know when reading it. */
  note: string | null;
  timing: Timing | null;
  gflops: number | null;
  /** arcgrad CPU backend's mean time divided by this row's mean time (above 1: faster than arcgrad CPU). */
  speedupOverCpu: number | null;
  /** Largest |this - arcgrad CPU| over the output; null where the inputs were not shared (PyTorch). */
  maxAbsError: number | null;
  /** Largest |value| of the arcgrad CPU output, the scale maxAbsError is read against. */
  referenceMaxAbs: number | null;
}

/** One whole-model measurement: a training step or an inference batch on one backend. */
export interface ModelRow {
  task: 'train' | 'infer';
  engine: Engine;
  backend: string;
  /** What ran, e.g. 'stock gradients' or 'conv gradients written in forward ops'. */
  formulation: string;
  batch: number;
  status: 'ok' | 'skipped' | 'failed';
  note: string | null;
  timing: Timing | null;
  imagesPerSecond: number | null;
}

/** Everything one run measured, as written to bench/results/<date>-<name>.json. */
export interface BenchReport {
  name: string;
  command: string;
  startedAt: string;
  finishedAt: string;
  wallSeconds: number;
  machine: Record<string, unknown>;
  options: Record<string, unknown>;
  kernels: KernelRow[];
  models: ModelRow[];
  /** arcgrad's time divided by each peer's, per model task (below 1: arcgrad is faster). */
  modelRatios: { task: string; arcgrad: string; peer: string; arcgradOverPeerTime: number; peerBatch: number }[];
  notices: string[];
}

/** Writes JSON next to its final path, then renames: a crash never leaves a half-written file. */
export function writeJsonAtomic(path: string, value: unknown): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temporary, path);
}

/** Writes text atomically (temporary file, then rename). */
export function writeTextAtomic(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** A number with about three significant digits, or '-' for null. */
export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined) return '-';
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return value.toFixed(0);
  if (magnitude < 1e-3) return value.toExponential(1);
  return value.toPrecision(digits);
}

/** Renders rows as an aligned plain-text table. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** Renders rows as a Markdown table. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Header of the kernel tables. */
export const kernelHeader = [
  'kernel',
  'shape',
  'backend',
  'ran',
  'first ms',
  'mean ms',
  'p50 ms',
  'p99 ms',
  'n',
  'cores',
  'GFLOP/s',
  'x CPU',
  'max abs err',
] as const;

/** One kernel row as table cells. */
export function kernelCells(row: KernelRow): string[] {
  const t = row.timing;
  const ran = row.status === 'ok' ? row.kernelClass : `${row.status}: ${row.note ?? ''}`;
  const error =
    row.maxAbsError === null ? '-' : `${formatNumber(row.maxAbsError, 2)} (of ${formatNumber(row.referenceMaxAbs, 2)})`;
  return [
    row.kernel,
    row.shape,
    row.backend,
    ran,
    formatNumber(t?.firstMs),
    formatNumber(t?.meanMs),
    formatNumber(t?.p50Ms),
    formatNumber(t?.p99Ms),
    t ? String(t.samples) : '-',
    formatNumber(t?.coresUsed, 2),
    formatNumber(row.gflops),
    formatNumber(row.speedupOverCpu),
    error,
  ];
}

/** Header of the model tables. */
export const modelHeader = [
  'task',
  'engine',
  'backend',
  'formulation',
  'batch',
  'first ms',
  'mean ms',
  'n',
  'cores',
  'images/s',
  'note',
] as const;

/** One model row as table cells. */
export function modelCells(row: ModelRow): string[] {
  const t = row.timing;
  return [
    row.task,
    row.engine,
    row.backend,
    row.formulation,
    String(row.batch),
    formatNumber(t?.firstMs),
    formatNumber(t?.meanMs),
    t ? `${t.samples}${t.warmupCalls ? ` (after ${t.warmupCalls} untimed warm-up)` : ''}` : '-',
    formatNumber(t?.coresUsed, 2),
    formatNumber(row.imagesPerSecond),
    row.status === 'ok' ? (row.note ?? '') : `${row.status}: ${row.note ?? ''}`,
  ];
}
