import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

/** The machine a run was measured on: CPU model (from lscpu), cores, memory, Node, load, git commit. */
export function describeMachine(): Record<string, unknown> {
  return {
    cpuModel: lscpuField('Model name') ?? cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    threadsPerCore: lscpuField('Thread(s) per core'),
    hypervisor: lscpuField('Hypervisor vendor'),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    display: process.env.DISPLAY ?? null,
    loadAverageAtStart: loadavg().map((value) => Math.round(value * 100) / 100),
    gitCommit: gitCommit(),
  };
}

function lscpuField(field: string): string | null {
  try {
    const text = execFileSync('lscpu', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const line = text.split('\n').find((entry) => entry.startsWith(`${field}:`));
    return line ? line.slice(field.length + 1).trim() : null;
  } catch {
    return null;
  }
}

function gitCommit(): string | null {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', 'src'], {
      encoding: 'utf8',
    }).trim();
    return dirty ? `${commit} (src/ modified)` : commit;
  } catch {
    return null;
  }
}
