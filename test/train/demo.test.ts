import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { defaultDemoOptions, readCalibration, runDemo } from '../../src/train/index.js';
import { runInProcess } from '../cli/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('runDemo', () => {
  test("a second demo into the same folder replaces the first one's checkpoints", async () => {
    const outDir = tempDir('demo');
    const tiny = {
      ...defaultDemoOptions,
      side: 16,
      trainIdentities: 3,
      trainImagesPerIdentity: 2,
      // Ten folds need ten genuine pairs: 5 people x 5 photos give 50.
      testIdentities: 5,
      testImagesPerIdentity: 5,
      batchSize: 6,
      embeddingSize: 8,
      outDir,
    };
    await runDemo({ ...tiny, epochs: 2 });
    const phases: string[] = [];
    const second = await runDemo({ ...tiny, epochs: 1 }, { onPhase: (p) => phases.push(p) });
    expect(second.checkpoint).toBe(join(outDir, 'checkpoints', 'checkpoint-epoch-001.safetensors'));
    expect((await readdir(join(outDir, 'checkpoints'))).sort()).toEqual([
      'checkpoint-epoch-001.json',
      'checkpoint-epoch-001.safetensors',
    ]);
    expect(phases).toContain(`removed 4 files of the previous run in ${join(outDir, 'checkpoints')}`);

    // The demo ends with the loop from training to a yes/no answer, which the command line repeats.
    expect(readCalibration(second.checkpoint!)?.pairCount).toBe(second.report.pairs);
    expect(second.verifications.map((v) => v.samePerson)).toEqual([true, false]);
    for (const v of second.verifications) {
      expect(v.result.same).toBe(v.result.similarity >= v.result.operatingPoint.threshold);
      const cli = await runInProcess('verify', v.imageA, v.imageB, '--model', second.checkpoint!, '--json');
      expect(JSON.parse(cli.lines.at(-1)!).similarity).toBeCloseTo(v.result.similarity, 6);
    }
  });
});
