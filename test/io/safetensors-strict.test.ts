import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseSafetensors, readSafetensors } from '../../src/io/index.js';
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

  test('a FIFO is refused before it is opened (opening it would block)', () => {
    const fifo = join(tempDir('strict'), 'model.safetensors');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      console.log('skipped the FIFO case: mkfifo is not available here');
      return;
    }
    expect(() => readSafetensors(fifo)).toThrow(`safetensors: ${fifo} is not a regular file`);
  });
});
