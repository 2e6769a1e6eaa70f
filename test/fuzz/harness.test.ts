import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { zeros } from '../../src/tensor/index.js';
import { checkCase, type FuzzTarget, WronglyAccepted } from './harness.js';

// The harness is what makes the fuzz suite able to fail: each broken promise must be caught.

// Time is bounded only where the test is about time: a busy machine may be slow at anything.
const bounds = { maxMilliseconds: 60_000, maxBytes: 16 * 2 ** 20 };

const kept: Buffer[] = [];

function target(run: (input: number) => void): FuzzTarget<number> {
  return { name: 'probe', inputs: fc.nat(), run, refusal: /^probe: / };
}

describe('checkCase', () => {
  test('an accepted input and a refusal naming the target pass, and say which they were', () => {
    expect(
      checkCase(
        target(() => undefined),
        0,
        bounds,
      ),
    ).toBe('accepted');
    expect(
      checkCase(
        target(() => {
          throw new Error('probe: field x must be a number');
        }),
        0,
        bounds,
      ),
    ).toBe('refused');
  });

  test('a foreign error type, or an error that does not name what failed, is a failure', () => {
    const foreign = target(() => JSON.parse('{'));
    expect(() => checkCase(foreign, 0, bounds)).toThrow(/^probe: a foreign error escaped: SyntaxError: /);
    const unclear = target(() => {
      throw new Error('Invalid typed array length: 4000000000000');
    });
    expect(() => checkCase(unclear, 0, bounds)).toThrow(
      'probe: the error does not start like /^probe: /: Invalid typed array length: 4000000000000',
    );
    const notAnError = target(() => {
      throw 'a string';
    });
    expect(() => checkCase(notAnError, 0, bounds)).toThrow('probe: a foreign error escaped: a thrown string');
  });

  test('a wrong result, a case past the time bound and one past the allocation bound are failures', () => {
    const wrong = target(() => {
      throw new WronglyAccepted('the image has 3 of its 4 pixels');
    });
    expect(() => checkCase(wrong, 0, bounds)).toThrow('probe: accepted, but the image has 3 of its 4 pixels');
    const slow = target(() => {
      const end = performance.now() + 30;
      while (performance.now() < end);
    });
    expect(() => checkCase(slow, 0, { ...bounds, maxMilliseconds: 10 })).toThrow(
      /^probe: one case took \d+ ms \(bound 10 ms\)$/,
    );
    // Buffers count by the growth they cause (kept here, so no collection can hide it).
    const buffers = target(() => {
      kept.push(Buffer.alloc(32 * 2 ** 20).fill(1));
    });
    expect(() => checkCase(buffers, 0, bounds)).toThrow(/^probe: one case allocated \d\.\d+e\+7 bytes/);
    kept.length = 0;
    // Tensor storage is counted at the allocator hook, whether or not it is still referenced.
    const hungry = target(() => {
      zeros([8 * 2 ** 20]);
    });
    expect(() => checkCase(hungry, 0, bounds)).toThrow(
      /^probe: one case allocated 3\.3\de\+7 bytes \(bound 16777216\)$/,
    );
  });
});
