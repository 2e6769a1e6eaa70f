/**
 * arcgrad benchmarks: kernels (matmul, conv2d forward and both gradients) on the CPU backend and
 * every gpu.js mode that runs here, the whole FaceMobileNet training step and inference, and the
 * same work in TensorFlow.js (CPU, WASM) and PyTorch measured in the same run.
 *
 *   npx tsx bench/run.ts            full run (about 10 minutes on 2 cores)
 *   npx tsx bench/run.ts --quick    a subset in under a minute
 *   xvfb-run -a npx tsx bench/run.ts   adds gpu.js's headless-gl (GLSL) path
 *
 * Writes bench/results/<date>-<name>.json (atomically) and a Markdown summary beside it.
 */
import { parseArgs } from 'node:util';
import { runBenchmarks } from './lib/orchestrate.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    name: { type: 'string' },
    gpu: { type: 'string' },
    peers: { type: 'string' },
    model: { type: 'string' },
    'model-gpu': { type: 'boolean', default: false },
    'no-kernels': { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/results' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`Usage: npx tsx bench/run.ts [options]
  --quick            subset that finishes in under a minute on 2 cores: fewer shapes, no gpu.js
                     cpu mode, no tfjs-cpu, model inference only
  --name NAME        result file name part (default: full or quick)
  --gpu MODES        gpu.js modes, comma-separated (default headlessgl,webasm,cpu; 'none' skips;
                     headlessgl needs a display: run under xvfb-run -a)
  --peers PEERS      tfjs-cpu,tfjs-wasm,pytorch (default all; 'none' skips)
  --model TASKS      train,infer (default both; 'none' skips the model benchmark)
  --model-gpu        also run the model on the gpu.js modes (slow on llvmpipe: one sample each)
  --no-kernels       skip the kernel benchmark (model only; the WASM peer then starts fresh)
  --out DIR          where results go (default bench/results)`);
  process.exit(0);
}

const list = (value: string | undefined, fallback: string[]): string[] =>
  value === undefined ? fallback : value === 'none' ? [] : value.split(',').map((entry) => entry.trim());

await runBenchmarks({
  quick: values.quick,
  name: values.name ?? (values.quick ? 'quick' : 'full'),
  gpuModes: list(values.gpu, values.quick ? ['headlessgl', 'webasm'] : ['headlessgl', 'webasm', 'cpu']),
  peers: list(values.peers, values.quick ? ['tfjs-wasm', 'pytorch'] : ['tfjs-cpu', 'tfjs-wasm', 'pytorch']),
  modelTasks: list(values.model, values.quick ? ['infer'] : ['train', 'infer']),
  modelOnGpu: values['model-gpu'],
  kernels: !values['no-kernels'],
  outDirectory: values.out,
  command: `npx tsx bench/run.ts ${process.argv.slice(2).join(' ')}`.trim(),
});
// The CPU worker pool and gpu.js contexts are unref'd or disposed; exit explicitly so a peer's
// lingering handle (the WASM runtime) cannot keep the process alive.
process.exit(0);
