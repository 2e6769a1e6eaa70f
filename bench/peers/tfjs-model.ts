import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import { modelBatch, modelClasses, modelInputSize } from '../lib/arcgrad-model.js';
import { firstLine } from '../lib/kernel-suite.js';
import { measure, type SamplingBudget } from '../lib/measure.js';
import type { ModelRow } from '../lib/results.js';
import { buildTfjsFaceMobileNet, sgdStep } from './tfjs-face-mobilenet.js';
import type { TfjsPeers } from './tfjs-load.js';

/** One training or inference measurement of the tfjs FaceMobileNet on one backend. */
interface Plan {
  peer: string;
  task: 'train' | 'infer';
  forwardOpGradients: boolean;
  /** Batches to try in order: a later one is used when an earlier one runs out of memory (tfjs-cpu). */
  batches: number[];
  budget: SamplingBudget;
  why: string | null;
}

/**
 * The model peer: FaceMobileNet + ArcFace + focal loss + SGD in TensorFlow.js, per backend.
 * tfjs-wasm training runs twice: stock gradients (which fail at the first conv gradient without a
 * WASM kernel, reported as such) and gradients written in forward ops. tfjs-cpu training is so
 * slow (about 0.01-0.04 images/s) that it runs once at a small batch, and only in the full run.
 */
export async function benchTfjsModel(
  peers: TfjsPeers,
  tasks: readonly string[],
  quick: boolean,
  onRow: (row: ModelRow) => void,
): Promise<ModelRow[]> {
  const plans: Plan[] = [];
  for (const peer of peers.available) {
    if (tasks.includes('infer')) {
      plans.push({
        peer,
        task: 'infer',
        forwardOpGradients: false,
        batches: [modelBatch],
        budget: peer === 'tfjs-cpu' || quick ? { minSamples: 0, timeMs: 0 } : { minSamples: 2, timeMs: 0 },
        why: null,
      });
    }
    if (!tasks.includes('train')) continue;
    if (peer === 'tfjs-wasm') {
      plans.push({
        peer,
        task: 'train',
        forwardOpGradients: false,
        batches: [modelBatch],
        budget: { minSamples: 0, timeMs: 0 },
        why: null,
      });
      // Largest batch last: running out of WASM memory aborts the WASM module for good.
      for (const batch of [4, 8, modelBatch]) {
        plans.push({
          peer,
          task: 'train',
          forwardOpGradients: true,
          batches: [batch],
          budget: { minSamples: batch === 4 && !quick ? 1 : 0, timeMs: 0 },
          why:
            batch === 4 ? null : `batch ${batch} attempt after batch 4 (an out-of-memory abort kills the WASM module)`,
        });
      }
    } else if (!quick) {
      plans.push({
        peer,
        task: 'train',
        forwardOpGradients: false,
        batches: [1],
        budget: { minSamples: 0, timeMs: 0 },
        why: 'batch 1, one step: its conv gradients take minutes at batch 16',
      });
    }
  }
  const rows: ModelRow[] = [];
  // WASM plans run after the CPU ones, and the batch 16 training attempt after every other plan.
  plans.sort((a, b) => rank(a) - rank(b));
  for (const plan of plans) {
    await peers.use(plan.peer);
    const row = runPlan(peers, plan);
    rows.push(row);
    onRow(row);
  }
  return rows;
}

function rank(plan: Plan): number {
  if (plan.peer !== 'tfjs-wasm') return 0;
  return plan.task === 'train' && plan.forwardOpGradients ? 1 + (plan.batches[0] ?? 0) : 1;
}

/** Peers whose WASM module aborted (out of memory), and why: nothing more can run on them. */
const aborted = new Map<string, string>();

function runPlan(peers: TfjsPeers, plan: Plan): ModelRow {
  const { tf } = peers;
  const formulation =
    plan.task === 'infer'
      ? 'eval mode'
      : plan.forwardOpGradients
        ? 'conv gradients in forward ops'
        : plan.peer === 'tfjs-wasm'
          ? `stock gradients (no WASM kernels for ${peers.wasmMissingKernels.join(', ')})`
          : 'stock gradients';
  const notes: string[] = plan.why ? [plan.why] : [];
  let lastError = 'not run';
  for (const batch of plan.batches) {
    if (aborted.has(plan.peer)) {
      notes.push(`batch ${batch} not run: ${aborted.get(plan.peer)}`);
      break;
    }
    let net: ReturnType<typeof buildTfjsFaceMobileNet> | null = null;
    let images: Tensor4D | null = null;
    let labels: Tensor1D | null = null;
    try {
      const built = buildTfjsFaceMobileNet(tf, { classes: modelClasses, forwardOpGradients: plan.forwardOpGradients });
      const x = tf.randomNormal([batch, modelInputSize, modelInputSize, 1]) as Tensor4D;
      const y = tf.randomUniformInt([batch], 0, modelClasses) as Tensor1D;
      [net, images, labels] = [built, x, y];
      const timing = measure(() => {
        if (plan.task === 'infer') {
          tf.tidy(() => {
            built.forward(x, false).dataSync();
          });
        } else {
          const loss = sgdStep(tf, built, x, y, modelClasses);
          if (!Number.isFinite(loss)) throw new Error(`training step gave a non-finite loss ${loss}`);
        }
      }, plan.budget);
      if (plan.budget.minSamples === 0) notes.push('single call, warm-up included');
      return {
        task: plan.task,
        engine: 'tfjs',
        backend: plan.peer,
        formulation,
        batch,
        status: 'ok',
        note: notes.join('; ') || null,
        timing,
        imagesPerSecond: (batch * 1000) / timing.meanMs,
      };
    } catch (error) {
      lastError = firstLine(error);
      notes.push(`batch ${batch} failed: ${lastError}`);
      if (/Aborted|out of bounds/.test(lastError)) {
        aborted.set(plan.peer, `the WASM module aborted earlier (batch ${batch}: ${lastError.split('.')[0]})`);
      }
      if (!/memory|allocat|OOM|out of bounds|Aborted/i.test(lastError)) break;
    } finally {
      // After an abort the module cannot free anything; the process ends soon after.
      if (!aborted.has(plan.peer)) tf.dispose([images, labels, ...(net?.variables ?? [])].filter((t) => t !== null));
    }
  }
  return {
    task: plan.task,
    engine: 'tfjs',
    backend: plan.peer,
    formulation,
    batch: plan.batches[0] ?? modelBatch,
    status: 'failed',
    note: notes.join('; '),
    timing: null,
    imagesPerSecond: null,
  };
}
