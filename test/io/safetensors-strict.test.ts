import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { maxSafetensorsEntries, parseSafetensors, readSafetensors } from '../../src/io/index.js';
import { makeFifo } from '../helpers/fifo.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A file from raw header bytes and data bytes. */
function fileWithHeader(header: Uint8Array, dataBytes: number): Uint8Array {
  const out = new Uint8Array(8 + header.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  return out;
}

describe('safetensors headers are read strictly', () => {
  test('invalid UTF-8 in the header is an error, not a silently renamed tensor', () => {
    const json = new TextEncoder().encode('{"w?":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}');
    json[3] = 0xff;
    expect(() => parseSafetensors(fileWithHeader(json, 4))).toThrow('safetensors: header is not valid UTF-8');
  });

  test('an entry with a field the format does not define is an error naming it', () => {
    const json = new TextEncoder().encode('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"strides":[1]}}');
    expect(() => parseSafetensors(fileWithHeader(json, 4))).toThrow(
      "safetensors: tensor 'w' has unknown fields strides (known: dtype, shape, data_offsets)",
    );
  });

  test('a tensor named twice is an error, not "the last one wins"', () => {
    const entry = '{"dtype":"F32","shape":[1],"data_offsets":[0,4]}';
    const json = new TextEncoder().encode(
      `{"__metadata__":{"w":"x"},"w":${entry},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"w":${entry}}`,
    );
    expect(() => parseSafetensors(fileWithHeader(json, 8))).toThrow("safetensors: header names 'w' twice");
    const escaped = new TextEncoder().encode(`{"a\\"b":${entry}}`);
    expect(parseSafetensors(fileWithHeader(escaped, 4)).tensors.has('a"b')).toBe(true);
  });

  test('a header of more entries than the limit is refused before the entries are checked', () => {
    const header = Object.fromEntries(Array.from({ length: maxSafetensorsEntries + 2 }, (_, i) => [`t${i}`, {}]));
    const json = new TextEncoder().encode(JSON.stringify(header));
    expect(() => parseSafetensors(fileWithHeader(json, 0))).toThrow(
      `safetensors: header holds ${maxSafetensorsEntries + 2} entries, more than the limit of ${maxSafetensorsEntries} tensors`,
    );
  });

  test('a FIFO is refused before it is opened (opening it would block)', () => {
    const fifo = join(tempDir('strict'), 'model.safetensors');
    if (!makeFifo(fifo)) return;
    expect(() => readSafetensors(fifo)).toThrow(`safetensors: ${fifo} is not a regular file`);
  });
});
