import { empty } from '../nn/empty.js';
import { xavierUniform } from '../nn/init.js';
import { Parameter } from '../nn/parameter.js';
import type { Generator } from '../tensor/random.js';

/** A Xavier-uniform class-weight parameter [classes, inFeatures] (nn.init.xavier_uniform_, as in the reference recipe). */
export function headWeight(head: string, inFeatures: number, classes: number, generator?: Generator): Parameter {
  for (const [argument, value] of [
    ['inFeatures', inFeatures],
    ['classes', classes],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`${head}: ${argument} must be a positive integer, got ${String(value)}`);
    }
  }
  return new Parameter(xavierUniform(empty(head, [classes, inFeatures]), { generator }));
}
