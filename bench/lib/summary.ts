import { matmulCrossovers } from './crossover-chart.js';
import {
  type BenchReport,
  formatNumber,
  type KernelRow,
  type ModelRow,
  markdownTable,
  modelCells,
  modelHeader,
} from './results.js';

/** Time per image of a model row (rows may use different batches when a peer cannot fit 16). */
function msPerImage(row: ModelRow): number | null {
  return row.timing ? row.timing.meanMs / row.batch : null;
}

/** arcgrad's time per image over each peer's, per task and formulation (below 1: arcgrad is faster). */
export function modelRatios(models: readonly ModelRow[]): BenchReport['modelRatios'] {
  const ratios: BenchReport['modelRatios'] = [];
  for (const ours of models.filter((row) => row.engine === 'arcgrad' && row.status === 'ok')) {
    for (const peer of models.filter(
      (row) => row.engine !== 'arcgrad' && row.status === 'ok' && row.task === ours.task,
    )) {
      const a = msPerImage(ours);
      const b = msPerImage(peer);
      if (a === null || b === null) continue;
      ratios.push({
        task: ours.task,
        arcgrad: `${ours.backend} (${ours.formulation})`,
        peer: `${peer.backend} (${peer.formulation})`,
        arcgradOverPeerTime: a / b,
        peerBatch: peer.batch,
      });
    }
  }
  return ratios;
}

function cell(row: KernelRow | undefined): string {
  if (!row) return '';
  if (row.status !== 'ok' || !row.timing) return row.status;
  return `${formatNumber(row.timing.meanMs)} (${formatNumber(row.gflops)})`;
}

/**
 * One line per kernel case and one column per backend: mean ms with GFLOP/s in brackets; then
 * arcgrad CPU's time over each peer's. Full per-row detail (p50, p99, first call, errors) is in
 * the JSON and the detail table.
 */
export function kernelPivot(rows: readonly KernelRow[]): string {
  const backends = [...new Set(rows.map((row) => row.backend))];
  const peers = backends.filter((backend) => backend.startsWith('tfjs') || backend === 'pytorch');
  const cases = [...new Set(rows.map((row) => row.caseId))];
  const header = [
    'kernel',
    'shape',
    'from',
    ...backends.map((b) => `${b === 'cpu' ? 'arcgrad cpu' : b} ms (GFLOP/s)`),
    ...peers.map((p) => `cpu / ${p}`),
  ];
  const body = cases.map((id) => {
    const ofCase = rows.filter((row) => row.caseId === id);
    const first = ofCase[0] as KernelRow;
    const cpu = ofCase.find((row) => row.backend === 'cpu');
    return [
      first.kernel,
      first.shape,
      first.label,
      ...backends.map((backend) => cell(ofCase.find((row) => row.backend === backend))),
      ...peers.map((peer) => {
        const other = ofCase.find((row) => row.backend === peer);
        return cpu?.timing && other?.timing ? formatNumber(cpu.timing.meanMs / other.timing.meanMs) : '-';
      }),
    ];
  });
  return markdownTable(header, body);
}

/** Largest error against arcgrad CPU per backend and kernel, relative to the output's scale. */
function errorSummary(rows: readonly KernelRow[]): string {
  const groups = new Map<string, number>();
  for (const row of rows) {
    if (row.maxAbsError === null || row.backend === 'cpu') continue;
    const key = `${row.backend}|${row.kernel}`;
    const relative = row.maxAbsError / Math.max(row.referenceMaxAbs ?? 1, 1e-30);
    groups.set(key, Math.max(groups.get(key) ?? 0, relative));
  }
  return markdownTable(
    ['backend', 'kernel', 'max |err| / max |cpu output|'],
    [...groups].map(([key, value]) => [...key.split('|'), value.toExponential(1)]),
  );
}

/** The kernel pivot, the error summary and the crossover line. */
function kernelSections(report: BenchReport): string[] {
  return [
    '#### Kernels (mean ms per call, upload and readback included; GFLOP/s in brackets)',
    '',
    kernelPivot(report.kernels),
    '',
    '#### Error against arcgrad cpu (largest over all shapes)',
    '',
    errorSummary(report.kernels),
    '',
    `Crossover (first square matmul side where a gpu.js backend beats arcgrad cpu): ${
      matmulCrossovers(report.kernels)
        .map((c) => `${c.backend}: ${c.side === null ? 'none among the sizes it ran' : `n = ${c.side}`}`)
        .join('; ') || 'no gpu.js backend ran'
    }.`,
  ];
}

/** The Markdown summary of a run: environment, notices, tables, ratios and the chart. */
export function summaryMarkdown(report: BenchReport, chartFile: string | null): string {
  const m = report.machine;
  const lines = [
    `### Run '${report.name}', ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `- Command: \`${report.command}\``,
    `- Machine: ${m.cpuModel}, ${m.cores} cores (${m.hypervisor ? `${m.hypervisor} VM` : 'bare metal'}), ${m.memoryGiB} GiB; Node ${m.node}; arcgrad ${m.gitCommit}`,
    `- Load average at start / end: ${(m.loadAverageAtStart as number[]).join(' ')} / ${(m.loadAverageAtEnd as number[]).join(' ')} (other jobs on the machine inflate every number alike)`,
    `- Wall time: ${report.wallSeconds} s`,
    '',
    ...report.notices.map((notice) => `- ${notice}`),
    '',
    '#### Whole model (FaceMobileNet + ArcFace + focal loss + SGD, 1x128x128)',
    '',
    markdownTable(modelHeader, report.models.map(modelCells)),
    '',
    markdownTable(
      ['task', 'arcgrad backend', 'peer', 'arcgrad time / peer time (per image)'],
      report.modelRatios.map((r) => [r.task, r.arcgrad, r.peer, r.arcgradOverPeerTime.toFixed(3)]),
    ),
    '',
    ...(report.kernels.length === 0 ? [] : kernelSections(report)),
  ];
  if (chartFile) lines.push('', `![square matmul time per backend](${chartFile})`);
  return `${lines.join('\n')}\n`;
}
