/**
 * The seeded random generator behind rand, randn, randint, shuffling and initialisation.
 * xoshiro128** on 32-bit integer arithmetic, so the same seed gives the same numbers on every machine.
 */

/** A deterministic generator of uniform and normal numbers. */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;

  /** Creates a generator from an integer seed. */
  constructor(seed = 0) {
    this.seed(seed);
  }

  /** Resets the state from an integer seed (splitmix32 expands it into four words). */
  seed(seed: number): void {
    if (!Number.isFinite(seed)) throw new Error(`manualSeed: seed must be a finite number, got ${seed}`);
    let x = Math.trunc(seed) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    this.spareNormal = null;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform number in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal number (Box-Muller, caching the second value). */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** Uniform integer in [low, high). */
  integer(low: number, high: number): number {
    return low + Math.floor(this.uniform() * (high - low));
  }

  /** Fisher-Yates shuffle of an array in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.integer(0, i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** The process-wide generator used when no generator is passed. */
export const defaultGenerator = new Generator(0);

/** Seeds the default generator, like torch.manual_seed. */
export function manualSeed(seed: number): void {
  defaultGenerator.seed(seed);
}
