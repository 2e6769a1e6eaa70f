import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadSafetensors, pytorchDTypes, saveSafetensors } from '../../src/io/index.js';
import { FaceMobileNet } from '../../src/models/index.js';
import { manualSeed, noGrad, randn, type Tensor } from '../../src/tensor/index.js';
import { tempDir } from '../helpers/temp-dir.js';

// Weights interop with the reference recipe's PyTorch code, both directions, through real PyTorch 1.13
// (scripts/torch_roundtrip.py). CI has no PyTorch; there the golden parity test
// (test/parity/face-mobilenet.test.ts) covers the numbers and this file is skipped.
const python = '/usr/bin/python3';
const hasTorch = spawnSync(python, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0;
const script = new URL('../../scripts/torch_roundtrip.py', import.meta.url).pathname;
// The reference recipe's modules live beside the repository (../shared/seed), or at $SEED_DIR.
const seedDir = process.env.SEED_DIR ?? new URL('../../../shared/seed', import.meta.url).pathname;
const hasSeed = existsSync(join(seedDir, 'torch_reference.py'));
const skipReason = !hasTorch
  ? 'no PyTorch at /usr/bin/python3'
  : !hasSeed
    ? `no seed reference modules at ${seedDir}`
    : '';

function relativeDifference(a: Tensor, b: Tensor): number {
  let maxAbs = 0;
  let scale = 0;
  for (let i = 0; i < b.size; i++) {
    maxAbs = Math.max(maxAbs, Math.abs(a.data[i] - b.data[i]));
    scale = Math.max(scale, Math.abs(b.data[i]));
  }
  return scale === 0 ? maxAbs : maxAbs / scale;
}

describe(
  skipReason === '' ? 'PyTorch round trip of FaceMobileNet weights' : `PyTorch round trip: SKIPPED, ${skipReason}`,
  () => {
    test.skipIf(skipReason !== '')(
      "arcgrad's safetensors load strictly into the reference recipe's model, and torch's state dict loads back",
      () => {
        const config = { embedding: 64, input: 112 };
        manualSeed(11);
        const net = new FaceMobileNet({ embeddingSize: config.embedding, inputSize: config.input });
        const input = randn([3, 1, config.input, config.input]);
        // One training forward so running statistics and num_batches_tracked differ from their defaults.
        noGrad(() => net.train().forward(randn([3, 1, config.input, config.input])));
        const dict = net.stateDict();
        const dir = tempDir('roundtrip');
        const source = join(dir, 'arcgrad.safetensors');
        const target = join(dir, 'torch.safetensors');
        saveSafetensors(source, new Map([...dict, ['input', input]]), {
          dtypes: pytorchDTypes(dict),
          metadata: { config: JSON.stringify(config) },
        });
        const run = spawnSync(python, [script, source, target], { encoding: 'utf8' });
        expect(run.stderr).toBe('');
        expect(run.status).toBe(0);

        const fromTorch = loadSafetensors(target);
        const ours = noGrad(() => net.eval().forward(input));
        expect(relativeDifference(ours, fromTorch.get('result.eval_embedding') as Tensor)).toBeLessThan(1e-4);

        const oursTrain = noGrad(() => net.train().forward(input));
        expect(relativeDifference(oursTrain, fromTorch.get('result.train_embedding') as Tensor)).toBeLessThan(1e-4);
        const back = new FaceMobileNet({ embeddingSize: config.embedding, inputSize: config.input });
        back.loadStateDict(new Map([...fromTorch].filter(([key]) => !key.startsWith('result.'))));
        expect(back.bn.numBatchesTracked.item()).toBe(2);
        const parameterNames = new Set(net.namedParameters().map(([name]) => name));
        for (const [key, value] of net.stateDict()) {
          const loaded = back.stateDict().get(key) as Tensor;
          if (parameterNames.has(key) || key.endsWith('num_batches_tracked')) {
            // Untouched by torch: the values must come back bit for bit.
            expect(Array.from(loaded.data), key).toEqual(Array.from(value.data));
            continue;
          }
          // Running statistics were recomputed by torch's training forward: allclose(rtol 1e-4, atol 1e-6),
          // since some running means are zero up to rounding (a BatchNorm-ed map through a 1x1 conv).
          const excess = Array.from(
            loaded.data,
            (v, i) => Math.abs(v - value.data[i]) - 1e-4 * Math.abs(value.data[i]),
          );
          expect(Math.max(...excess), key).toBeLessThanOrEqual(1e-6);
        }
      },
      120_000,
    );
  },
);
