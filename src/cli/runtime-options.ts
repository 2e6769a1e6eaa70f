import { type Command, Option } from 'commander';
import { availableBackends, backendInfo, setBackend, setCpuThreads } from '../backend/index.js';
import type { ProfileReport } from '../tensor/index.js';
import { integerIn } from './options.js';

/** Flags shared by the commands that train: kernel backend, CPU threads, profiling. */
export interface RuntimeFlags {
  backend?: string;
  threads?: number;
  profile?: boolean;
}

/** Adds --backend, --threads and --profile to a command. */
export function addRuntimeOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--backend <name>', 'kernel backend (default: $ARCGRAD_BACKEND, else cpu)').choices(
        availableBackends(),
      ),
    )
    .option(
      '--threads <n>',
      'CPU kernel threads, main thread included (default: $ARCGRAD_THREADS, else all cores)',
      integerIn(1, 1024),
    )
    .option('--profile', 'profile one training step and print time per op and kernel after training');
}

/** Applies --backend and --threads, then prints which backend runs (one line). */
export function applyRuntimeOptions(flags: RuntimeFlags): void {
  if (flags.threads !== undefined) setCpuThreads(flags.threads);
  if (flags.backend !== undefined) setBackend(flags.backend);
  console.log(`backend: ${backendInfo().summary}`);
}

/** Prints a --profile report (or why there is none). */
export function printProfile(report: ProfileReport | null): void {
  if (report === null) {
    console.log('profile: no training step ran, so there is nothing to report');
    return;
  }
  console.log(`profile of one training step (forward, loss, backward, SGD step):\n${report.format()}`);
}
