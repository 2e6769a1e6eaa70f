import type { GrayImage } from './gray-image.js';

/** A labelled, indexable collection of images: an identity folder, a synthetic set, a subset. */
export interface LabeledImageSource {
  /** Number of images. */
  readonly size: number;
  /** Identity names; label i is `classNames[i]`. */
  readonly classNames: readonly string[];
  /** Identity label of image `index`. */
  label(index: number): number;
  /** What image `index` is (a file path), for error messages and pair lists. */
  describe(index: number): string;
  /** Loads image `index` as gray pixels in [0, 1]. */
  load(index: number): Promise<GrayImage>;
}

/** The images of a source whose identity passes `keep`, relabelled 0..k-1 in the original order. */
export function selectIdentities(source: LabeledImageSource, keep: (name: string) => boolean): LabeledImageSource {
  const kept = source.classNames.map((name) => keep(name));
  const newLabel = new Int32Array(kept.length).fill(-1);
  const classNames: string[] = [];
  kept.forEach((k, label) => {
    if (k) {
      newLabel[label] = classNames.length;
      classNames.push(source.classNames[label]);
    }
  });
  const indices: number[] = [];
  for (let i = 0; i < source.size; i++) if (kept[source.label(i)]) indices.push(i);
  if (indices.length === 0) throw new Error('selectIdentities: no image belongs to a selected identity');
  return {
    size: indices.length,
    classNames,
    label: (index) => newLabel[source.label(indices[checkIndex(index, indices.length)])],
    describe: (index) => source.describe(indices[checkIndex(index, indices.length)]),
    load: (index) => source.load(indices[checkIndex(index, indices.length)]),
  };
}

/** An identity selection: a predicate on identity names that also lists the names it asks for. */
export type IdentitySelection = ((name: string) => boolean) & { readonly names: ReadonlySet<string> };

/** Most names one range may expand to (s1..s1000000000 would otherwise fill the memory). */
const maxRangeLength = 100_000;

/**
 * Parses an identity selection such as `s1..s30` or `alice,bob,s31..s33`: comma-separated names
 * or ranges `prefixA..prefixB` over the trailing number. Returns a predicate on identity names.
 */
export function parseIdentitySelection(spec: string): IdentitySelection {
  const names = new Set<string>();
  for (const raw of spec.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const range = /^(.*?)(\d+)\.\.(.*?)(\d+)$/.exec(part);
    if (range) {
      const [, prefix, first, prefixEnd, last] = range;
      if (prefix !== prefixEnd) {
        throw new Error(`parseIdentitySelection: range ${part} has different prefixes '${prefix}' and '${prefixEnd}'`);
      }
      const from = Number(first);
      const to = Number(last);
      if (to < from) throw new Error(`parseIdentitySelection: range ${part} ends before it starts`);
      if (to - from >= maxRangeLength) {
        throw new Error(
          `parseIdentitySelection: range ${part} names ${to - from + 1} identities, more than ${maxRangeLength}`,
        );
      }
      for (let n = from; n <= to; n++) names.add(`${prefix}${n}`);
    } else {
      names.add(part);
    }
  }
  if (names.size === 0) throw new Error(`parseIdentitySelection: '${spec}' selects no identity`);
  return Object.assign((name: string) => names.has(name), { names });
}

/** The names a selection asks for that `source` does not have, in the selection's order. */
export function missingIdentities(source: LabeledImageSource, selection: IdentitySelection): string[] {
  const present = new Set(source.classNames);
  return [...selection.names].filter((name) => !present.has(name));
}

/** Throws a RangeError naming the index and the size when `index` is outside 0..size-1. */
export function checkIndex(index: number, size: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`image index ${index} is outside 0..${size - 1}`);
  }
  return index;
}
