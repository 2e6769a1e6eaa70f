/**
 * Child process of bench/peak-memory.ts: one arcgrad training setup, two steps, then its own
 * memory from /proc/self/status. It runs alone in a fresh process so that VmHWM (the kernel's
 * high-water mark of resident memory) covers this step and nothing else the bench did.
 * Usage: node --import tsx bench/lib/peak-memory-arcgrad.child.ts <batch>; prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { getCpuThreads } from '../../src/backend/index.js';
import { ArcFace } from '../../src/heads/index.js';
import { focalLoss } from '../../src/losses/index.js';
import { BufferPool } from '../../src/memory/index.js';
import { FaceMobileNet } from '../../src/models/index.js';
import { SGD } from '../../src/optim/index.js';
import { manualSeed, randint, randn } from '../../src/tensor/index.js';

/** Model and optimiser settings shared with bench/peers/torch_peak_memory.py. */
const inputSize = 128;
const embeddingSize = 512;
const classes = 1000;
const steps = 2;

/** One field of /proc/self/status in MiB (the kernel reports kB). */
export function statusMiB(field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${field}:`));
  if (!line) throw new Error(`peak-memory: /proc/self/status has no ${field} line`);
  return Number.parseInt(line.slice(field.length + 1), 10) / 1024;
}

function main(): void {
  const batch = Number(process.argv[2]);
  if (!Number.isInteger(batch) || batch < 1)
    throw new Error(`peak-memory child: batch must be a positive integer, got '${process.argv[2]}'`);
  manualSeed(0);
  const net = new FaceMobileNet({ embeddingSize, inputSize });
  const head = new ArcFace(embeddingSize, classes);
  const optimizer = new SGD([...net.parameters(), ...head.parameters()], { lr: 0.1, momentum: 0.9, weightDecay: 5e-4 });
  const images = randn([batch, 1, inputSize, inputSize]);
  const labels = randint(0, classes, [batch]);
  net.train();
  const baselineRssMiB = statusMiB('VmRSS');
  const losses: number[] = [];
  const started = performance.now();
  // As arcgrad's trainer runs a step: activations and gradients drawn from a BufferPool.
  const buffers = new BufferPool();
  for (let step = 0; step < steps; step++) {
    const loss = buffers.run(() => {
      optimizer.zeroGrad();
      const value = focalLoss(head.forward(net.forward(images), labels), labels);
      value.backward();
      optimizer.step();
      return value.item();
    });
    losses.push(loss);
  }
  // A non-finite loss means the step did not do the real work; its memory would mean nothing.
  if (!losses.every(Number.isFinite)) throw new Error(`peak-memory child: non-finite loss ${losses.join(', ')}`);
  const seconds = (performance.now() - started) / 1000;
  const result = { baselineRssMiB, peakRssMiB: statusMiB('VmHWM'), threads: getCpuThreads(), steps, seconds, losses };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  // The CPU thread pool's workers keep the event loop alive; the measurement is done.
  process.exit(0);
}

main();
