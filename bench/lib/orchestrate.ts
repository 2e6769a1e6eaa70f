import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cpuBackend } from '../../src/backend/cpu/index.js';
import type { GpuBackend, GpuMode } from '../../src/backend/index.js';
import { tfjsKernelContenders } from '../peers/tfjs-kernels.js';
import { loadTfjsPeers, type TfjsPeers } from '../peers/tfjs-load.js';
import { benchTfjsModel } from '../peers/tfjs-model.js';
import { runTorchPeer } from '../peers/torch.js';
import { cpuContender, gpuContender, openGpuBackend } from './arcgrad-contenders.js';
import { benchArcgradModel } from './arcgrad-model.js';
import { crossoverChart } from './crossover-chart.js';
import type { KernelContender } from './kernel-suite.js';
import { runKernelSuite } from './kernel-suite.js';
import { describeMachine } from './machine.js';
import {
  type BenchReport,
  type KernelRow,
  kernelCells,
  kernelHeader,
  type ModelRow,
  modelCells,
  modelHeader,
  textTable,
  writeJsonAtomic,
  writeTextAtomic,
} from './results.js';
import { modelRatios, summaryMarkdown } from './summary.js';
import {
  convCases,
  faceMobileNetConvGeometries,
  type KernelCase,
  modelMatmulCases,
  squareMatmulCases,
} from './workloads.js';

/** What a run measures. */
export interface RunOptions {
  quick: boolean;
  name: string;
  gpuModes: string[];
  peers: string[];
  modelTasks: string[];
  modelOnGpu: boolean;
  /** Whether to run the kernel benchmark (false: model only). */
  kernels: boolean;
  outDirectory: string;
  command: string;
}

/** The quick subset: small squares, the head matmuls, and four conv layers of different kinds. */
function kernelCasesFor(quick: boolean): KernelCase[] {
  const geometries = faceMobileNetConvGeometries(16);
  if (!quick) {
    return [
      ...squareMatmulCases(),
      ...modelMatmulCases(),
      ...convCases(geometries, ['forward', 'gradInput', 'gradWeight']),
    ];
  }
  const picked = geometries.filter(({ label }) => /^(conv4\.\* 1x1 expand|conv4\.\* depthwise)/.test(label));
  return [
    ...squareMatmulCases().filter((problem) => problem.m <= 512),
    ...modelMatmulCases().slice(3, 4),
    ...convCases(picked, ['forward', 'gradInput', 'gradWeight']),
  ];
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

/** Runs the benchmarks, prints tables, and writes the JSON, Markdown and SVG results. */
export async function runBenchmarks(options: RunOptions): Promise<BenchReport> {
  const started = new Date();
  const notices: string[] = [];
  const machine = describeMachine();
  log(
    `arcgrad bench '${options.name}' on ${machine.cpuModel} (${machine.cores} cores), Node ${machine.node}, load ${(machine.loadAverageAtStart as number[]).join(' ')}`,
  );

  const contenders: KernelContender[] = [cpuContender(cpuBackend)];
  const gpuBackends: GpuBackend[] = [];
  for (const mode of options.gpuModes) {
    const opened = openGpuBackend(mode as GpuMode);
    if ('skip' in opened) {
      notices.push(`gpu.js ${mode}: not run (${opened.skip})`);
      continue;
    }
    gpuBackends.push(opened);
    contenders.push(gpuContender(mode as GpuMode, opened));
    notices.push(`gpu.js ${mode}: ${opened.describe().summary}`);
  }
  let tfjs: TfjsPeers | null = null;
  const tfjsWanted = options.peers.filter((peer) => peer.startsWith('tfjs-'));
  if (tfjsWanted.length > 0) {
    tfjs = await loadTfjsPeers(tfjsWanted);
    notices.push(...tfjs.notices);
    contenders.push(...tfjsKernelContenders(tfjs));
  }
  for (const notice of notices) log(`notice: ${notice}`);

  const cases = options.kernels ? kernelCasesFor(options.quick) : [];
  log(
    `\nkernels: ${cases.length} cases x ${contenders.length} backends (${contenders.map((c) => c.backend).join(', ')})`,
  );
  const kernels: KernelRow[] = runKernelSuite(cases, contenders, {
    fastBudget: options.quick ? { minSamples: 3, timeMs: 60 } : { minSamples: 5, timeMs: 150 },
    slowBudget: { minSamples: 2, timeMs: 0 },
    slowRowCapMs: options.quick ? 1000 : 8000,
    slowBackendBudgetMs: options.quick ? 3000 : 30000,
    onRow: (row) => log(`  ${kernelCells(row).slice(0, 12).join('  ')}`),
  });

  // Free the GL contexts and compiled kernels before the model runs (they hold memory and textures).
  for (const backend of gpuBackends) await backend.dispose();
  const models: ModelRow[] = [];
  if (options.modelTasks.length > 0) {
    log('\nmodel: FaceMobileNet + ArcFace + focal loss + SGD, 1x128x128');
    const modes: (GpuMode | null)[] = [null, ...(options.modelOnGpu ? gpuBackends.map((backend) => backend.mode) : [])];
    for (const mode of modes) {
      const rows = await benchArcgradModel(mode, options.modelTasks, options.quick, (row) =>
        log(`  ${modelCells(row).join('  ')}`),
      );
      models.push(...rows);
    }
    if (tfjs) {
      models.push(
        ...(await benchTfjsModel(tfjs, options.modelTasks, options.quick, (row) =>
          log(`  ${modelCells(row).join('  ')}`),
        )),
      );
    }
  }

  if (options.peers.includes('pytorch')) {
    log('\nPyTorch peer (/usr/bin/python3)');
    const torch = runTorchPeer(cases, options.modelTasks, options.quick, kernels);
    notices.push(...torch.notices);
    for (const notice of torch.notices) log(`notice: ${notice}`);
    kernels.push(...torch.kernels);
    models.push(...torch.models);
    for (const row of torch.models) log(`  ${modelCells(row).join('  ')}`);
  }

  const finished = new Date();
  const report: BenchReport = {
    name: options.name,
    command: options.command,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    wallSeconds: Math.round((finished.getTime() - started.getTime()) / 100) / 10,
    machine: {
      ...machine,
      loadAverageAtEnd: (await import('node:os')).loadavg().map((v) => Math.round(v * 100) / 100),
    },
    options: { ...options },
    kernels,
    models,
    modelRatios: modelRatios(models),
    notices,
  };

  log(`\n${textTable(kernelHeader, kernels.map(kernelCells))}`);
  log(`\n${textTable(modelHeader, models.map(modelCells))}`);
  for (const ratio of report.modelRatios) {
    log(`${ratio.task}: arcgrad ${ratio.arcgrad} time / ${ratio.peer} time = ${ratio.arcgradOverPeerTime.toFixed(3)}`);
  }

  mkdirSync(options.outDirectory, { recursive: true });
  const stem = join(options.outDirectory, `${started.toISOString().slice(0, 16).replace(':', '')}-${options.name}`);
  writeJsonAtomic(`${stem}.json`, report);
  const chart = crossoverChart(kernels);
  if (chart) writeTextAtomic(`${stem}-matmul-crossover.svg`, chart);
  writeTextAtomic(
    `${stem}.md`,
    summaryMarkdown(report, chart ? `${stem.split('/').pop()}-matmul-crossover.svg` : null),
  );
  log(`\nwrote ${stem}.json, ${stem}.md${chart ? `, ${stem}-matmul-crossover.svg` : ''} in ${report.wallSeconds} s`);
  return report;
}
