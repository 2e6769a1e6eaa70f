/**
 * Mixes integers into one 32-bit seed (FNV-1a steps with murmur-style avalanching), so the streams
 * derived for (seed, epoch, batch) or (seed, identity, image) are unrelated to each other.
 */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
  }
  return h >>> 0;
}
