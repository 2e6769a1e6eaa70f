import fc from 'fast-check';
import { expect, test } from 'vitest';
import { fuzzProperty, testBounds } from './harness.js';
import { fuzzTargets } from './targets.js';

// A few hundred mutants per target from a fixed seed, so `npm test` repeats itself;
// `npm run fuzz -- --cases N` runs many more, from a new seed each time. A checkpoint case runs
// the whole resume path, so checkpoints get fewer.
const runs: Readonly<Record<string, number>> = { checkpoint: 40 };

for (const target of await fuzzTargets()) {
  test(`mutated ${target.name} inputs are accepted or refused with an error naming what failed, within the bounds`, () => {
    const verdicts = { accepted: 0, refused: 0 };
    fc.assert(
      fuzzProperty(target, testBounds, (verdict) => verdicts[verdict]++),
      { seed: 1, numRuns: runs[target.name] ?? 200 },
    );
    // Mutants that all fail at the first check would test nothing past it.
    expect(verdicts.refused).toBeGreaterThan(0);
    expect(verdicts.accepted).toBeGreaterThan(0);
  });
}
