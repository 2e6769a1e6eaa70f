/**
 * Measures arcgrad's float32 gradients against float64 on the random cases of
 * test/fixtures/parity/gradient-accuracy.safetensors (scripts/make_gradient_accuracy_fixtures.py), beside
 * PyTorch's float32 ones, tensor by tensor:
 *
 *   npx tsx scripts/measure-gradient-accuracy.ts [--cases 0-23] [--threads 1] [--simd on|off]
 *     [--reference conv2dBackwardWeight,batchNormBackward,...] [--all]
 *
 * err = max|g32 - g64| / max(max|g64|, 1e-6 x the case's largest max|g64|), g64 being arcgrad's float64
 * gradient (checked first against PyTorch's float64 samples). A tensor fails when arcgrad's err is above
 * max(1e-3, 1.5 x PyTorch's err); ratio = arcgrad err / that bound. --reference runs the named kernels on
 * the plain reference loops (the rest on the CPU backend), to bisect which kernel an outlier comes from;
 * --all prints every failing tensor, not only the worst five per case.
 */
import { parseArgs } from 'node:util';
import { cpuBackend } from '../src/backend/cpu/cpu-backend.js';
import { referenceCpuBackend } from '../src/backend/cpu/reference/index.js';
import { setCpuThreads } from '../src/backend/cpu/threads/pool.js';
import type { CompleteBackend } from '../src/backend/kernels.js';
import { registerBackend, setBackend } from '../src/backend/registry.js';
import { setCpuSimd } from '../src/backend/simd/simd-switch.js';
import { caseErrors, readGradientCases } from '../test/parity/gradient-cases.js';

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
const [first, last] = options.cases === '' ? [0, fixture.config.cases - 1] : options.cases.split('-').map(Number);
setCpuThreads(Number(options.threads));
setCpuSimd(options.simd === 'on');
if (options.reference !== '') {
  const names = options.reference.split(',') as (keyof CompleteBackend)[];
  const mixed: Record<string, unknown> = { ...cpuBackend, name: 'cpu-mixed' };
  for (const name of names) {
    if (!(name in referenceCpuBackend)) throw new Error(`--reference: no kernel '${name}'`);
    mixed[name] = referenceCpuBackend[name];
  }
  registerBackend('cpu-mixed', () => mixed as unknown as CompleteBackend);
  setBackend('cpu-mixed');
}

console.log(
  `threads ${options.threads}, simd ${options.simd}, reference kernels: ${options.reference || 'none'}; cases ${first}-${last}`,
);
let worstRatio = 0;
let failingCases = 0;
let failingTensors = 0;
let logOurs = 0;
let logTorch = 0;
let count = 0;
for (let index = first; index <= (last ?? first); index++) {
  const started = performance.now();
  const { oracle, rows } = caseErrors(fixture, index);
  const failing = rows.filter((r) => r.ratio > 1).sort((a, b) => b.ratio - a.ratio);
  const worst = rows.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  worstRatio = Math.max(worstRatio, worst.ratio);
  if (failing.length > 0) failingCases++;
  failingTensors += failing.length;
  for (const r of rows) {
    logOurs += Math.log(Math.max(r.ours, 1e-12));
    logTorch += Math.log(Math.max(r.torch, 1e-12));
    count++;
  }
  console.log(
    `case ${index}: oracle (arcgrad f64 vs torch f64) ${oracle.toExponential(1)}, ` +
      `worst ratio ${worst.ratio.toFixed(2)} (${worst.name}: ${worst.ours.toExponential(1)} vs torch ${worst.torch.toExponential(1)}), ` +
      `${failing.length} failing, ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  for (const r of options.all ? failing : failing.slice(0, 5)) {
    console.log(
      `  ${r.name}: arcgrad ${r.ours.toExponential(2)}, torch ${r.torch.toExponential(2)}, ratio ${r.ratio.toFixed(2)}`,
    );
  }
}
console.log(
  `worst ratio ${worstRatio.toFixed(2)}; ${failingTensors} failing tensors in ${failingCases} cases; ` +
    `geometric mean err arcgrad ${Math.exp(logOurs / count).toExponential(2)}, torch ${Math.exp(logTorch / count).toExponential(2)}`,
);
process.exit(0);
