import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { modelBatch, modelClasses, modelInputSize } from '../lib/arcgrad-model.js';
import { firstLine, kernelName } from '../lib/kernel-suite.js';
import type { Timing } from '../lib/measure.js';
import type { KernelRow, ModelRow } from '../lib/results.js';
import { flopsOf, type KernelCase, shapeOf } from '../lib/workloads.js';

/** The Python that has PyTorch 1.13 on this project's machines (Debian's python3-torch). */
const python = process.env.ARCGRAD_PYTHON ?? '/usr/bin/python3';
const script = fileURLToPath(new URL('./torch_bench.py', import.meta.url));

interface TorchResult {
  torch: string;
  threads: number;
  kernels: { id: string; timing: Timing }[];
  models: { task: 'train' | 'infer'; timing: Timing }[];
  notices: string[];
}

/**
 * Runs the same kernel cases and model tasks in PyTorch CPU (bench/peers/torch_bench.py) with as
 * many threads as arcgrad's CPU backend uses. Skipped with a notice when python or torch is
 * missing. PyTorch makes its own random inputs, so its rows carry no error column.
 */
export function runTorchPeer(
  cases: readonly KernelCase[],
  modelTasks: readonly string[],
  quick: boolean,
  arcgradRows: readonly KernelRow[],
): { kernels: KernelRow[]; models: ModelRow[]; notices: string[] } {
  const empty = { kernels: [], models: [] };
  if (!existsSync(python)) return { ...empty, notices: [`PyTorch peer skipped: ${python} does not exist`] };
  const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return { ...empty, notices: [`PyTorch peer skipped: ${python} cannot import torch`] };
  const threads = availableParallelism();
  const request = {
    threads,
    minSamples: quick ? 3 : 5,
    timeMs: quick ? 60 : 150,
    cases,
    model: {
      tasks: modelTasks,
      batch: modelBatch,
      inputSize: modelInputSize,
      classes: modelClasses,
      minSamples: quick ? 1 : 3,
    },
  };
  const run = spawnSync(python, [script], { input: JSON.stringify(request), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0) {
    return { ...empty, notices: [`PyTorch peer failed: ${firstLine(run.stderr || run.error)}`] };
  }
  let result: TorchResult;
  try {
    result = JSON.parse(run.stdout) as TorchResult;
  } catch (error) {
    return { ...empty, notices: [`PyTorch peer printed no JSON: ${firstLine(error)}`] };
  }
  const byId = new Map(result.kernels.map((entry) => [entry.id, entry.timing]));
  const kernels: KernelRow[] = cases.map((problem) => {
    const timing = byId.get(problem.id) ?? null;
    const cpu = arcgradRows.find(
      (row) => row.caseId === problem.id && row.engine === 'arcgrad' && row.backend === 'cpu',
    );
    return {
      kernel: kernelName(problem),
      caseId: problem.id,
      label: problem.label,
      shape: shapeOf(problem),
      engine: 'pytorch',
      backend: 'pytorch',
      kernelClass: `torch ${result.torch} aten, ${result.threads} threads`,
      status: timing ? 'ok' : 'failed',
      note: timing ? 'own random inputs (no error column)' : 'no timing returned',
      timing,
      gflops: timing ? flopsOf(problem) / timing.meanMs / 1e6 : null,
      speedupOverCpu: timing && cpu?.timing ? cpu.timing.meanMs / timing.meanMs : null,
      maxAbsError: null,
      referenceMaxAbs: null,
    };
  });
  const models: ModelRow[] = result.models.map(({ task, timing }) => ({
    task,
    engine: 'pytorch',
    backend: 'pytorch',
    formulation: task === 'train' ? 'autograd (train mode)' : 'eval mode, no_grad',
    batch: modelBatch,
    status: 'ok',
    note: `torch ${result.torch}, ${result.threads} threads`,
    timing,
    imagesPerSecond: (modelBatch * 1000) / timing.meanMs,
  }));
  return {
    kernels,
    models,
    notices: [`PyTorch ${result.torch} CPU, ${result.threads} threads (${python})`, ...result.notices],
  };
}
