import fc from 'fast-check';

// Mutators as fast-check arbitraries, so a failing case shrinks to a few edits of a valid input.

/** Integers that break size fields: zero, one, sign and width boundaries, and sizes past any bound. */
export const boundaryIntegers = [0, 1, 2, 255, 256, 65535, 65536, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 1e9] as const;

/** One edit of a byte string; positions are taken modulo the length, so every edit applies. */
type ByteEdit =
  | { kind: 'set'; at: number; value: number }
  | { kind: 'word'; at: number; value: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'cut'; keep: number };

const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('word' as const), at: fc.nat(), value: fc.constantFrom(...boundaryIntegers) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('cut' as const), keep: fc.double({ min: 0, max: 1, noNaN: true }) }),
);

function applyEdit(bytes: Uint8Array, edit: ByteEdit): Uint8Array {
  if (bytes.length === 0) return edit.kind === 'insert' ? edit.bytes : bytes;
  const at = 'at' in edit ? edit.at % bytes.length : 0;
  switch (edit.kind) {
    case 'set': {
      const out = bytes.slice();
      out[at] = edit.value;
      return out;
    }
    case 'word': {
      // Big-endian, as PNG and JPEG store sizes; little-endian fields get a scrambled huge value, also useful.
      const out = bytes.slice();
      for (let i = 0; i < 4 && at + i < out.length; i++) out[at + i] = (edit.value >>> (24 - 8 * i)) & 0xff;
      return out;
    }
    case 'insert':
      return Uint8Array.from([...bytes.subarray(0, at), ...edit.bytes, ...bytes.subarray(at)]);
    case 'delete':
      return Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + edit.count)]);
    case 'cut':
      return bytes.slice(0, Math.floor(bytes.length * edit.keep));
  }
}

/** Copies of `base` with one to eight byte edits: set, overwrite with a boundary integer, insert, delete, cut. */
export function mutatedBytes(base: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc.array(byteEdit, { minLength: 1, maxLength: 8 }).map((edits) => edits.reduce(applyEdit, base));
}

/** Values that break a JSON field: wrong types, boundaries, non-finite stand-ins, huge sizes. */
const strangeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, '', 'abc', [], {}, -1, -0.5, 0, 0.5, 1e308, -1e308, 2 ** 53, ...boundaryIntegers),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Every path to a value inside a JSON value (object keys and array indices). */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const paths: (string | number)[][] = [prefix];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) paths.push(...pathsOf(v, [...prefix, i]));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) paths.push(...pathsOf(v, [...prefix, key]));
  }
  return paths;
}

type JsonEdit = { path: (string | number)[]; action: 'replace' | 'delete' | 'add'; value: unknown; key: string };

function applyJsonEdit(root: unknown, edit: JsonEdit): unknown {
  if (edit.path.length === 0) return edit.action === 'replace' ? edit.value : root;
  const copy = structuredClone(root);
  let parent = copy as Record<string | number, unknown>;
  for (const step of [undefined, ...edit.path.slice(0, -1)]) {
    const next = step === undefined ? parent : parent[step];
    if (typeof next !== 'object' || next === null) return copy; // an earlier edit changed the tree
    parent = next as Record<string | number, unknown>;
  }
  const last = edit.path.at(-1)!;
  if (edit.action === 'replace') parent[last] = edit.value;
  else if (edit.action === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (!Array.isArray(parent)) {
    // defineProperty, so '__proto__' becomes a key (as JSON.parse makes it), not a prototype change.
    Object.defineProperty(parent, edit.key, {
      value: edit.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/** Copies of a JSON value with one to three edits at its paths: a field replaced, removed, or a field added beside it. */
export function mutatedJson(base: unknown): fc.Arbitrary<unknown> {
  const edit = fc.record({
    path: fc.constantFrom(...pathsOf(base)),
    action: fc.constantFrom('replace' as const, 'delete' as const, 'add' as const),
    value: strangeValue,
    key: fc.constantFrom('__proto__', 'constructor', 'extra', ''),
  });
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => edits.reduce(applyJsonEdit, base));
}

/** JSON text of `base` mutated as a value (then stringified) or as bytes (then decoded leniently, as a text reader would). */
export function mutatedJsonText(base: unknown): fc.Arbitrary<string> {
  const text = JSON.stringify(base);
  return fc.oneof(
    mutatedJson(base).map((value) => JSON.stringify(value) ?? 'undefined'),
    mutatedBytes(new TextEncoder().encode(text)).map((bytes) => new TextDecoder().decode(bytes)),
  );
}
