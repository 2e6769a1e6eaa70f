import { beforeAll, describe, expect, test } from 'vitest';
import { ABSOLUTE_BOUND, type CaseRun, caseErrors, readGradientCases, TORCH_FACTOR } from './gradient-cases.js';

/**
 * The float32 gradient accuracy contract on random cases of the reference recipe's training step
 * (FaceMobileNet 512-d, 128 px, batch 3, ArcFace, focal loss), against PyTorch 1.13's float32 errors in
 * test/fixtures/parity/gradient-accuracy.safetensors (scripts/make_gradient_accuracy_fixtures.py).
 * Per tensor, err = max|g32 - g64| / max|g64| (floored, see caseErrors), g64 the float64 gradient of
 * the same float32 numbers; the bound is max(1e-3, 1.5 x PyTorch's err).
 *
 * The bound is a law of the arithmetic with both engines taking float64's branch at every PReLU
 * ('aligned'). As the branches fall ('raw'), an input within float32's rounding of zero lands on the
 * other side in one engine's run and not the other's, and the gradients upstream of it then differ by
 * up to ~3e-2 in that engine alone: a coin toss per case, which no summation order changes, so raw runs
 * are held to the bound only where arcgrad's run crossed no kink.
 *
 * Each case costs a float64 training step and one or two float32 ones (10-20 s on a loaded core), so
 * this checks the fixture's first CHECKED cases: in 0 neither engine crosses a kink, in 1 only PyTorch
 * does (4 inputs), in 2 both do. scripts/measure-gradient-accuracy.ts measures all 24.
 */

const CHECKED = 3;
const fixture = readGradientCases();
const cases = Array.from({ length: Math.min(CHECKED, fixture.config.cases) }, (_, i) => i);
const results = new Map<number, ReturnType<typeof caseErrors>>();

function result(index: number): ReturnType<typeof caseErrors> {
  const r = results.get(index);
  if (!r) throw new Error(`gradient case ${index} was not run`);
  return r;
}

/** The tensors of a run beyond the bound, with both errors, for a readable failure. */
function beyondBound(run: CaseRun): string[] {
  return run.rows
    .filter((r) => !(r.ratio <= 1))
    .map((r) => `${r.name}: arcgrad ${r.ours.toExponential(2)} vs torch ${r.torch.toExponential(2)}`);
}

beforeAll(() => {
  for (const index of cases) results.set(index, caseErrors(fixture, index));
}, 600_000);

describe(`float32 gradients within max(${ABSOLUTE_BOUND}, ${TORCH_FACTOR} x PyTorch's error) on random recipe cases`, () => {
  test('the fixture holds the cases this test checks', () => {
    expect(fixture.config.cases).toBeGreaterThanOrEqual(CHECKED);
  });

  test.each(cases)('case %i: arcgrad float64 reproduces PyTorch float64 (the oracle is sound)', (index) => {
    expect(result(index).oracle).toBeLessThan(1e-9);
  });

  test.each(cases)('case %i: every tensor within the bound when PReLU branches follow float64', (index) => {
    expect(beyondBound(result(index).aligned)).toEqual([]);
  });

  test.each(cases)('case %i: as the branches fall, a tensor beyond the bound only after a kink crossing', (index) => {
    const { raw } = result(index);
    expect(raw.flips > 0 ? [] : beyondBound(raw)).toEqual([]);
  });
});
