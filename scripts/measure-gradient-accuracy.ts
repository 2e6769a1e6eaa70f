/**
 * Measures arcgrad's float32 gradients against float64 on the random cases of
 * test/fixtures/parity/gradient-accuracy.safetensors (scripts/make_gradient_accuracy_fixtures.py), beside
 * PyTorch's float32 ones, tensor by tensor:
 *
 *   npx tsx scripts/measure-gradient-accuracy.ts [--cases 0-23] [--threads 1] [--simd on|off]
 *     [--reference conv2dBackwardWeight,batchNormBackward,...] [--all]
 *
 * err = max|g32 - g64| / max(max|g64|, 1e-6 x the case's largest max|g64|), g64 being arcgrad's float64
 * gradient (checked first against PyTorch's float64 samples: 'oracle'). A tensor fails when arcgrad's err
 * is above max(1e-3, 1.5 x PyTorch's err); ratio = arcgrad's err / that bound. The count of PyTorch's
 * tensors beyond max(1e-3, 1.5 x arcgrad's err) is printed beside it. Each case runs twice in
 * float32: with the PReLU branches as they fall ('raw'), and with every PReLU input on float64's side of
 * zero in both engines ('aligned', see KinkSigns in test/parity/gradient-cases.ts), which leaves the
 * arithmetic's errors alone. --reference runs the named kernels on the plain reference loops (the rest
 * on the CPU backend), to bisect which kernel an error comes from; --all prints every failing tensor,
 * not only the worst three per run.
 */
import { parseArgs } from 'node:util';
import { cpuBackend } from '../src/backend/cpu/cpu-backend.js';
import { referenceCpuBackend } from '../src/backend/cpu/reference/index.js';
import { setCpuThreads } from '../src/backend/cpu/threads/pool.js';
import type { CompleteBackend } from '../src/backend/kernels.js';
import { registerBackend, setBackend } from '../src/backend/registry.js';
import { setCpuSimd } from '../src/backend/simd/simd-switch.js';
import {
  ABSOLUTE_BOUND,
  type CaseRun,
  caseErrors,
  readGradientCases,
  TORCH_FACTOR,
} from '../test/parity/gradient-cases.js';

const { values: options } = parseArgs({
  options: {
    cases: { type: 'string', default: '' },
    threads: { type: 'string', default: '1' },
    simd: { type: 'string', default: 'on' },
    reference: { type: 'string', default: '' },
    all: { type: 'boolean', default: false },
  },
});

const fixture = readGradientCases();
const range = options.cases === '' ? [0, fixture.config.cases - 1] : options.cases.split('-').map(Number);
const [first, last] = [range[0], range[1] ?? range[0]];
setCpuThreads(Number(options.threads));
setCpuSimd(options.simd === 'on');
if (options.reference !== '') {
  const mixed: Record<string, unknown> = { ...cpuBackend, name: 'cpu-mixed' };
  for (const name of options.reference.split(',')) {
    if (!(name in referenceCpuBackend)) throw new Error(`--reference: the reference backend has no kernel '${name}'`);
    mixed[name] = referenceCpuBackend[name as keyof CompleteBackend];
  }
  registerBackend('cpu-mixed', () => mixed as unknown as CompleteBackend);
  setBackend('cpu-mixed');
}

/** Totals of one mode over the cases. */
class Tally {
  worst = 0;
  failingCases = 0;
  failingTensors = 0;
  torchFailingTensors = 0;
  logOurs = 0;
  logTorch = 0;
  count = 0;

  add(run: CaseRun): string {
    const failing = run.rows.filter((r) => r.ratio > 1).sort((a, b) => b.ratio - a.ratio);
    const worst = run.rows.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    this.worst = Math.max(this.worst, worst.ratio);
    if (failing.length > 0) this.failingCases++;
    this.failingTensors += failing.length;
    // The same law the other way round: PyTorch's float32 err against max(1e-3, 1.5 x arcgrad's).
    const torchFailing = run.rows.filter((r) => r.torch > Math.max(ABSOLUTE_BOUND, TORCH_FACTOR * r.ours)).length;
    this.torchFailingTensors += torchFailing;
    for (const r of run.rows) {
      this.logOurs += Math.log(Math.max(r.ours, 1e-12));
      this.logTorch += Math.log(Math.max(r.torch, 1e-12));
      this.count++;
    }
    const lines = [
      `worst ratio ${worst.ratio.toFixed(2)} (${worst.name}: ${worst.ours.toExponential(1)} vs torch ` +
        `${worst.torch.toExponential(1)}), ${failing.length} failing (torch beyond 1.5 x arcgrad: ${torchFailing})`,
    ];
    for (const r of options.all ? failing : failing.slice(0, 3)) {
      lines.push(
        `    ${r.name}: arcgrad ${r.ours.toExponential(2)}, torch ${r.torch.toExponential(2)}, ratio ${r.ratio.toFixed(2)}`,
      );
    }
    return lines.join('\n');
  }

  summary(): string {
    const mean = (log: number) => Math.exp(log / this.count).toExponential(2);
    return (
      `worst ratio ${this.worst.toFixed(2)}; ${this.failingTensors} failing tensors in ${this.failingCases} cases ` +
      `(torch beyond 1.5 x arcgrad: ${this.torchFailingTensors}); ` +
      `geometric mean err arcgrad ${mean(this.logOurs)}, torch ${mean(this.logTorch)}`
    );
  }
}

console.log(
  `threads ${options.threads}, simd ${options.simd}, reference kernels: ${options.reference || 'none'}; ` +
    `cases ${first}-${last} of ${fixture.config.cases} (PyTorch ${fixture.torch})`,
);
const raw = new Tally();
const aligned = new Tally();
for (let index = first; index <= last; index++) {
  const started = performance.now();
  const result = caseErrors(fixture, index);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `case ${index}: oracle ${result.oracle.toExponential(1)}, PReLU inputs across zero: arcgrad ` +
      `${result.raw.flips}, torch ${result.raw.torchFlips}; ${seconds} s`,
  );
  console.log(`  raw:     ${raw.add(result.raw)}`);
  console.log(`  aligned: ${aligned.add(result.aligned)}`);
}
console.log(`raw:     ${raw.summary()}`);
console.log(`aligned: ${aligned.summary()}`);
process.exit(0);
