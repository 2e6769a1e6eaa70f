import fc from 'fast-check';
import { expect, test } from 'vitest';
import { fuzzProperty, testBounds } from './harness.js';
import { checkpointTarget } from './targets.js';

// A few hundred mutants from a fixed seed, so `npm test` repeats itself; `npm run fuzz -- --cases N`
// runs many more, from a new seed each time.
test('mutated checkpoint inputs are accepted or refused with an error naming what failed, within the bounds', async () => {
  const target = await checkpointTarget();
  const verdicts = { accepted: 0, refused: 0 };
  fc.assert(
    fuzzProperty(target, testBounds, (verdict) => verdicts[verdict]++),
    { seed: 1, numRuns: 40 },
  );
  // Mutants that all fail at the first check would test nothing past it.
  expect(verdicts.refused).toBeGreaterThan(0);
  expect(verdicts.accepted).toBeGreaterThan(0);
});
