import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { defaultTrainConfig, validateTrainConfig } from '../../src/train/index.js';

describe('mutated configs', () => {
  const valid = defaultTrainConfig({ kind: 'synthetic', identities: 4, imagesPerIdentity: 2, seed: 0, variation: 1 });
  test.prop([fc.constantFrom(...Object.keys(valid)), fc.jsonValue()], { numRuns: 300 })(
    'validate, or fail with an error naming the source and the field',
    (field, value) => {
      try {
        validateTrainConfig({ ...valid, [field]: value }, 'mutant.json');
      } catch (error) {
        expect((error as Error).message).toMatch(/^mutant\.json: /);
        expect((error as Error).message).toContain(field);
      }
    },
  );
});
