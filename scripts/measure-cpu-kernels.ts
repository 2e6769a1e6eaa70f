/**
 * Measures the CPU backend: GFLOP/s of matmul 512^3 and of every FaceMobileNet convolution shape
 * (forward, input gradient, weight gradient) for the reference plain loops and for the optimised
 * kernels on 1 and 2 threads, then FaceMobileNet + ArcFace + focal loss + SGD training steps
 * (batch 16, 1x128x128) in images/s, with an op-level profile of one step.
 *
 *   npx tsx scripts/measure-cpu-kernels.ts [--kernels] [--model] [--reference] [--batch 16] [--steps 3] [--fresh-buffers]
 *
 * The model steps run in a BufferPool as the trainer does; --fresh-buffers allocates every tensor anew.
 * --reference also times the training step on the reference kernels (slow: about a minute a step).
 * Numbers go to stdout as Markdown for BENCHMARKS.md; speed is measured here, never asserted in tests.
 */
import { execSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { conv2dBackwardInputCpu, conv2dBackwardWeightCpu, conv2dForwardCpu } from '../src/backend/cpu/conv2d.js';
import { matmulCpu } from '../src/backend/cpu/matmul.js';
import {
  conv2dBackwardInputReference,
  conv2dBackwardWeightReference,
  conv2dForwardReference,
  matmulReference,
  referenceCpuBackend,
} from '../src/backend/cpu/reference/index.js';
import { getCpuThreads, setCpuThreads } from '../src/backend/cpu/threads/pool.js';
import type { Conv2dGeometry, KernelBackend } from '../src/backend/kernels.js';
import { registerBackend, setBackend } from '../src/backend/registry.js';
import { ArcFace } from '../src/heads/index.js';
import { focalLoss } from '../src/losses/index.js';
import { BufferPool } from '../src/memory/buffer-pool.js';
import { FaceMobileNet } from '../src/models/index.js';
import { SGD } from '../src/optim/index.js';
import { allocate, type Storage } from '../src/tensor/dtype.js';
import { kernelTimerStart, kernelTimerStop, profile } from '../src/tensor/profiler.js';
import { Generator } from '../src/tensor/random.js';
import { Tensor } from '../src/tensor/tensor.js';

const { values: options } = parseArgs({
  options: {
    kernels: { type: 'boolean', default: false },
    model: { type: 'boolean', default: false },
    reference: { type: 'boolean', default: false },
    batch: { type: 'string', default: '16' },
    steps: { type: 'string', default: '3' },
    'fresh-buffers': { type: 'boolean', default: false },
  },
});
const runAll = !options.kernels && !options.model;
const batch = Number(options.batch);
const generator = new Generator(7);

function randomStorage(size: number): Storage {
  const data = allocate('float32', size);
  for (let i = 0; i < size; i++) data[i] = generator.uniform() * 2 - 1;
  return data;
}

/** Wall-clock and process CPU milliseconds of one run (CPU time sums all threads). */
interface Timing {
  wall: number;
  cpu: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Median wall and CPU milliseconds of `run` over enough repetitions to fill `budgetMs` (at least
 * minRuns, after one warm-up). CPU time is measured too because the build machine is shared: on
 * one thread, work per CPU-second is what an idle core would do; wall time is what this run got.
 */
function timeIt(run: () => void, budgetMs = 400, minRuns = 3): Timing {
  run();
  const walls: number[] = [];
  const cpus: number[] = [];
  const begin = performance.now();
  while (walls.length < minRuns || (performance.now() - begin < budgetMs && walls.length < 50)) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    run();
    walls.push(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    cpus.push((cpu.user + cpu.system) / 1000);
  }
  return { wall: median(walls), cpu: median(cpus) };
}

function gflops(flop: number, ms: number): string {
  return (flop / ms / 1e6).toFixed(2);
}

function load(): string {
  return `load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ')}`;
}

/** One conv of FaceMobileNet at input 128, with how many times it occurs in the network. */
interface LayerShape {
  name: string;
  inChannels: number;
  outChannels: number;
  side: number;
  kernel: number;
  stride: number;
  padding: number;
  groups: number;
  count: number;
}

function layer(
  name: string,
  inChannels: number,
  outChannels: number,
  side: number,
  kernel: number,
  stride: number,
  padding: number,
  groups: number,
  count: number,
): LayerShape {
  return { name, inChannels, outChannels, side, kernel, stride, padding, groups, count };
}

const layers: LayerShape[] = [
  layer('conv1 stem 3x3 s2 1->64 @128', 1, 64, 128, 3, 2, 1, 1, 1),
  layer('conv2 dw 3x3 s1 64 @64', 64, 64, 64, 3, 1, 1, 64, 1),
  layer('conv3 pw 64->128 @64', 64, 128, 64, 1, 1, 0, 1, 1),
  layer('conv3 dw 3x3 s2 128 @64', 128, 128, 64, 3, 2, 1, 128, 1),
  layer('conv3 pw 128->64 @32', 128, 64, 32, 1, 1, 0, 1, 1),
  layer('conv4 pw 64->128 @32', 64, 128, 32, 1, 1, 0, 1, 4),
  layer('conv4 dw 3x3 s1 128 @32', 128, 128, 32, 3, 1, 1, 128, 4),
  layer('conv4 pw 128->64 @32', 128, 64, 32, 1, 1, 0, 1, 4),
  layer('conv5 pw 64->256 @32', 64, 256, 32, 1, 1, 0, 1, 1),
  layer('conv5 dw 3x3 s2 256 @32', 256, 256, 32, 3, 2, 1, 256, 1),
  layer('conv5 pw 256->128 @16', 256, 128, 16, 1, 1, 0, 1, 1),
  layer('conv6 pw 128->256 @16', 128, 256, 16, 1, 1, 0, 1, 6),
  layer('conv6 dw 3x3 s1 256 @16', 256, 256, 16, 3, 1, 1, 256, 6),
  layer('conv6 pw 256->128 @16', 256, 128, 16, 1, 1, 0, 1, 6),
  layer('conv7 pw 128->512 @16', 128, 512, 16, 1, 1, 0, 1, 1),
  layer('conv7 dw 3x3 s2 512 @16', 512, 512, 16, 3, 2, 1, 512, 1),
  layer('conv7 pw 512->128 @8', 512, 128, 8, 1, 1, 0, 1, 1),
  layer('conv8 pw 128->256 @8', 128, 256, 8, 1, 1, 0, 1, 2),
  layer('conv8 dw 3x3 s1 256 @8', 256, 256, 8, 3, 1, 1, 256, 2),
  layer('conv8 pw 256->128 @8', 256, 128, 8, 1, 1, 0, 1, 2),
  layer('conv9 pw 128->512 @8', 128, 512, 8, 1, 1, 0, 1, 1),
  layer('conv10 dw 7x7 512 @8', 512, 512, 8, 7, 1, 0, 512, 1),
];

function geometryOf(layer: LayerShape): Conv2dGeometry {
  const out = Math.floor((layer.side + 2 * layer.padding - layer.kernel) / layer.stride) + 1;
  return {
    batch,
    inChannels: layer.inChannels,
    inHeight: layer.side,
    inWidth: layer.side,
    outChannels: layer.outChannels,
    kernelHeight: layer.kernel,
    kernelWidth: layer.kernel,
    strideHeight: layer.stride,
    strideWidth: layer.stride,
    paddingHeight: layer.padding,
    paddingWidth: layer.padding,
    groups: layer.groups,
    outHeight: out,
    outWidth: out,
  };
}

function machine(): string {
  const model = execSync("lscpu | sed -n 's/^Model name: *//p'").toString().trim();
  const cores = execSync('nproc').toString().trim();
  return `${model}, ${cores} cores, Node ${process.version}`;
}

function measureKernels(): void {
  console.log(`\n### Kernels (${machine()}, ${new Date().toISOString()}, ${load()})\n`);
  console.log(
    'GFLOP/s = 2 x multiply-adds / time, median of repeated runs. ref = reference plain loops. ' +
      '"cpu" columns divide by process CPU time (on 1 thread: the speed of one idle core), ' +
      '"wall" columns by wall-clock time on this shared machine; 2-thread cpu is per CPU-second of both threads.\n',
  );
  const m = 512;
  const a = randomStorage(m * m);
  const b = randomStorage(m * m);
  const out = allocate('float32', m * m);
  const problem = {
    a,
    b,
    out,
    batch: 1,
    m,
    k: m,
    n: m,
    transposeA: false,
    transposeB: false,
    aBatchStride: 0,
    bBatchStride: 0,
  };
  const flop = 2 * m * m * m;
  console.log('| kernel | ref cpu | 1 thread cpu | 2 threads wall | 2 threads cpu |\n|---|---|---|---|---|');
  for (const [tA, tB] of [
    [false, false],
    [true, false],
    [false, true],
  ] as const) {
    const p = { ...problem, transposeA: tA, transposeB: tB };
    const ref = timeIt(() => matmulReference(p));
    setCpuThreads(1);
    const one = timeIt(() => matmulCpu(p));
    setCpuThreads(2);
    const two = timeIt(() => matmulCpu(p));
    const name = `matmul 512x512x512${tA ? ' A^T' : ''}${tB ? ' B^T' : ''}`;
    console.log(
      `| ${name} | ${gflops(flop, ref.cpu)} | ${gflops(flop, one.cpu)} | ${gflops(flop, two.wall)} | ${gflops(flop, two.cpu)} |`,
    );
  }

  console.log(`\nFaceMobileNet convolutions at batch ${batch} (count = occurrences in the network):\n`);
  console.log(
    '| layer | count | pass | ref cpu | 1 thread cpu | 2 threads wall | 2 threads cpu |\n|---|---|---|---|---|---|---|',
  );
  const totals = { ref: 0, one: 0, twoWall: 0 };
  for (const layer of layers) {
    const g = geometryOf(layer);
    const x = randomStorage(g.batch * g.inChannels * g.inHeight * g.inWidth);
    const w = randomStorage(g.outChannels * (g.inChannels / g.groups) * g.kernelHeight * g.kernelWidth);
    const y = randomStorage(g.batch * g.outChannels * g.outHeight * g.outWidth);
    const dx = allocate('float32', x.length);
    const dw = allocate('float32', w.length);
    const dy = allocate('float32', y.length);
    const layerFlop = (2 * y.length * w.length) / g.outChannels;
    const passes: [string, () => void, () => void][] = [
      ['forward', () => conv2dForwardReference(x, w, dy, g), () => conv2dForwardCpu(x, w, dy, g)],
      ['input grad', () => conv2dBackwardInputReference(y, w, dx, g), () => conv2dBackwardInputCpu(y, w, dx, g)],
      ['weight grad', () => conv2dBackwardWeightReference(x, y, dw, g), () => conv2dBackwardWeightCpu(x, y, dw, g)],
    ];
    for (const [pass, reference, fast] of passes) {
      const ref = timeIt(reference, 150);
      setCpuThreads(1);
      const one = timeIt(fast, 150);
      setCpuThreads(2);
      const two = timeIt(fast, 150);
      totals.ref += ref.cpu * layer.count;
      totals.one += one.cpu * layer.count;
      totals.twoWall += two.wall * layer.count;
      console.log(
        `| ${layer.name} | ${layer.count} | ${pass} | ${gflops(layerFlop, ref.cpu)} | ${gflops(layerFlop, one.cpu)} | ` +
          `${gflops(layerFlop, two.wall)} | ${gflops(layerFlop, two.cpu)} |`,
      );
    }
  }
  console.log(
    `\nAll FaceMobileNet convs, forward + both gradients, one step at batch ${batch}: ` +
      `ref ${totals.ref.toFixed(0)} CPU-ms, optimised 1 thread ${totals.one.toFixed(0)} CPU-ms, ` +
      `2 threads ${totals.twoWall.toFixed(0)} wall-ms (${load()}).`,
  );
}

/** Images/s of FaceMobileNet + ArcFace + focal loss + SGD training steps, and one step's profile. */
function measureModel(backendName: string, steps: number): void {
  setBackend(backendName);
  const classes = 1000;
  const model = new FaceMobileNet();
  const head = new ArcFace(512, classes);
  const optimizer = new SGD([...model.parameters(), ...head.parameters()], { lr: 0.1, weightDecay: 5e-4 });
  const images = new Tensor(randomStorage(batch * 128 * 128), [batch, 1, 128, 128]);
  const labels = Array.from({ length: batch }, (_, i) => (i * 37) % classes);
  // As the trainer runs it: activations and gradients drawn from a BufferPool, unless --fresh-buffers.
  const buffers = new BufferPool();
  const trainStep = (): number => {
    optimizer.zeroGrad();
    const loss = focalLoss(head.forward(model.forward(images), labels), labels, { gamma: 2 });
    loss.backward();
    optimizer.step();
    return loss.item();
  };
  const step = options['fresh-buffers'] ? trainStep : () => buffers.run(trainStep);
  const loadBefore = load();
  const time = timeIt(step, 0, steps);
  console.log(
    `\n### Training step, ${backendName} backend, ${getCpuThreads()} thread(s), batch ${batch} (${loadBefore})\n\n` +
      `wall ${time.wall.toFixed(0)} ms/step = ${((1000 * batch) / time.wall).toFixed(2)} images/s; ` +
      `CPU ${time.cpu.toFixed(0)} ms/step = ${((1000 * batch) / time.cpu).toFixed(2)} images per CPU-second ` +
      `(median of ${steps} steps after one warm-up); process peak RSS so far ` +
      `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB\n`,
  );
  const { report } = profile(step);
  console.log('```\n' + report.format() + '\n```');
  model.eval();
  const forward = (): void => {
    model.forward(images);
  };
  const infer = timeIt(
    options['fresh-buffers'] ? forward : () => buffers.run(forward),
    1000,
    backendName === 'cpu' ? 3 : 1,
  );
  console.log(
    `\nInference (eval mode, batch ${batch}): wall ${((1000 * batch) / infer.wall).toFixed(2)} images/s, ` +
      `${((1000 * batch) / infer.cpu).toFixed(2)} images per CPU-second\n`,
  );
}

/** The reference backend with its kernels timed, so the "before" profile has a kernel section too. */
const timedReferenceBackend: KernelBackend = {
  name: 'cpu-reference',
  matmul(problem) {
    const started = kernelTimerStart();
    referenceCpuBackend.matmul(problem);
    kernelTimerStop('matmul (reference)', started);
  },
  conv2dForward(input, weight, out, geometry) {
    const started = kernelTimerStart();
    referenceCpuBackend.conv2dForward(input, weight, out, geometry);
    kernelTimerStop('conv2d.forward (reference)', started);
  },
  conv2dBackwardInput(gradOutput, weight, gradInput, geometry) {
    const started = kernelTimerStart();
    referenceCpuBackend.conv2dBackwardInput(gradOutput, weight, gradInput, geometry);
    kernelTimerStop('conv2d.backwardInput (reference)', started);
  },
  conv2dBackwardWeight(input, gradOutput, gradWeight, geometry) {
    const started = kernelTimerStart();
    referenceCpuBackend.conv2dBackwardWeight(input, gradOutput, gradWeight, geometry);
    kernelTimerStop('conv2d.backwardWeight (reference)', started);
  },
};

if (runAll || options.kernels) measureKernels();
if (runAll || options.model) {
  const steps = Number(options.steps);
  if (options.reference) {
    registerBackend('cpu-reference', () => timedReferenceBackend);
    measureModel('cpu-reference', 1);
  }
  setCpuThreads(1);
  measureModel('cpu', steps);
  setCpuThreads(2);
  measureModel('cpu', steps);
}
