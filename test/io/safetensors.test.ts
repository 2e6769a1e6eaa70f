import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  loadSafetensors,
  parseSafetensors,
  readSafetensors,
  saveSafetensors,
  serializeSafetensors,
} from '../../src/io/index.js';
import { tensor } from '../../src/tensor/index.js';
import { randomTensor, seedArb, shapeArb } from '../helpers/arbitraries.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A file from a raw header object and data bytes, for building damaged files by hand. */
function rawFile(header: unknown, dataBytes: number, headerLengthOverride?: bigint): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, headerLengthOverride ?? BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

const dir = tempDir('safetensors');

describe('safetensors', () => {
  test.prop([fc.array(fc.tuple(shapeArb(0, 3, 4), fc.boolean(), seedArb), { minLength: 0, maxLength: 5 })], {
    numRuns: 50,
  })('serialize then parse returns the same names, shapes, dtypes and values', (specs) => {
    const dict = new Map(
      specs.map(([shape, wide, seed], i) => [
        `t${i}`,
        randomTensor(shape, seed, { dtype: wide ? 'float64' : 'float32', requiresGrad: false }),
      ]),
    );
    const bytes = serializeSafetensors(dict, { metadata: { format: 'pt' } });
    expect((new DataView(bytes.buffer).getUint32(0, true) + 8) % 8).toBe(0);
    const { tensors, metadata } = parseSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt' });
    expect([...tensors.keys()]).toEqual([...dict.keys()]);
    for (const [name, original] of dict) {
      const loaded = tensors.get(name)!;
      expect(loaded.shape).toEqual(original.shape);
      expect(loaded.dtype).toBe(original.dtype);
      expect(Array.from(loaded.data)).toEqual(Array.from(original.data));
    }
  });

  test('I64 tensors (num_batches_tracked) load as float64 and save back as I64', () => {
    const bytes = serializeSafetensors(
      { n: tensor(7, { dtype: 'float64' }), v: tensor([1, -2, 3]) },
      { dtypes: { n: 'I64', v: 'I64' } },
    );
    const header = JSON.parse(
      new TextDecoder().decode(bytes.subarray(8, 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true)))),
    );
    expect(header.n).toEqual({ dtype: 'I64', shape: [], data_offsets: [0, 8] });
    const { tensors } = parseSafetensors(bytes);
    expect(tensors.get('n')?.item()).toBe(7);
    expect(tensors.get('n')?.dtype).toBe('float64');
    expect(tensors.get('v')?.toArray()).toEqual([1, -2, 3]);
    expect(() => serializeSafetensors({ v: tensor([0.5]) }, { dtypes: { v: 'I64' } })).toThrow(
      "'v' is stored as I64 but holds non-integer values",
    );
  });

  test('a file written by PyTorch-side tooling (hand-built header, F32 data) reads correctly', () => {
    const file = rawFile({ __metadata__: { format: 'pt' }, w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, 8);
    new DataView(file.buffer).setFloat32(file.length - 8, 1.5, true);
    new DataView(file.buffer).setFloat32(file.length - 4, -2, true);
    expect(parseSafetensors(file).tensors.get('w')?.toArray()).toEqual([1.5, -2]);
  });

  test('saveSafetensors writes atomically (no temporary file left) and loadSafetensors reads it back', () => {
    const path = join(dir, 'model.safetensors');
    saveSafetensors(path, { a: tensor([[1, 2]]) });
    saveSafetensors(path, { a: tensor([[3, 4]]) });
    expect(loadSafetensors(path).get('a')?.toArray()).toEqual([[3, 4]]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  describe('bad files get a clear error', () => {
    const good = serializeSafetensors({ a: tensor([1, 2, 3]), b: tensor([4]) });

    test('truncated data', () => {
      expect(() => parseSafetensors(good.subarray(0, good.length - 2))).toThrow(
        "safetensors: tensor 'b' has data_offsets [12, 16] outside the 14-byte data section",
      );
    });

    test('shorter than the length prefix', () => {
      expect(() => parseSafetensors(good.subarray(0, 5))).toThrow(
        'file is 5 bytes, too short for the 8-byte header length',
      );
    });

    test('header length past the end of the file', () => {
      const bad = good.slice();
      new DataView(bad.buffer).setBigUint64(0, BigInt(good.length), true);
      expect(() => parseSafetensors(bad)).toThrow(
        `header length ${good.length} runs past the end of the ${good.length}-byte file`,
      );
    });

    test('a header claiming 100 MB is refused before anything is allocated (from a path too)', () => {
      const bad = rawFile({}, 0, 100_000_001n);
      expect(() => parseSafetensors(bad)).toThrow('header length 100000001 exceeds the limit of 100000000 bytes');
      const huge = rawFile({}, 0, 2n ** 63n);
      const path = join(dir, 'huge-header.safetensors');
      writeFileSync(path, huge);
      expect(() => loadSafetensors(path)).toThrow(/header length 9223372036854775808 exceeds the limit .*huge-header/);
      const claimed = rawFile({}, 0, 100_000_000n);
      expect(() => parseSafetensors(claimed)).toThrow('header length 100000000 runs past the end');
    });

    test('overlapping offsets', () => {
      const bad = rawFile(
        {
          a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
        },
        12,
      );
      expect(() => parseSafetensors(bad)).toThrow("tensors 'a' [0, 8) and 'b' [4, 12) overlap");
    });

    test('offsets out of range, reversed, or not matching the shape', () => {
      const outOfRange = rawFile({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, 8);
      expect(() => parseSafetensors(outOfRange)).toThrow('outside the 8-byte data section');
      const reversed = rawFile({ a: { dtype: 'F32', shape: [0], data_offsets: [8, 0] } }, 8);
      expect(() => parseSafetensors(reversed)).toThrow("tensor 'a' has data_offsets [8, 0] outside");
      const mismatch = rawFile({ a: { dtype: 'F64', shape: [2], data_offsets: [0, 8] } }, 8);
      expect(() => parseSafetensors(mismatch)).toThrow("tensor 'a' (F64 [2]) needs 16 bytes but data_offsets span 8");
      const negative = rawFile({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4);
      expect(() => parseSafetensors(negative)).toThrow("tensor 'a' has shape [-1]; expected an array of non-negative");
    });

    test('gaps or trailing bytes that belong to no tensor', () => {
      const gap = rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8);
      expect(() => parseSafetensors(gap)).toThrow('data bytes [0, 4) belong to no tensor');
      const trailing = rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 8);
      expect(() => parseSafetensors(trailing)).toThrow('data bytes [4, 8) belong to no tensor');
    });

    test('unknown dtype', () => {
      const bad = rawFile({ a: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }, 4);
      expect(() => parseSafetensors(bad)).toThrow(`tensor 'a' has dtype "BF16"; supported: F32, F64, I64`);
    });

    test('header that is not JSON, not an object, or with bad metadata', () => {
      const notJson = rawFile({}, 0);
      notJson[8] = 0x7b;
      notJson[9] = 0x78;
      expect(() => parseSafetensors(notJson)).toThrow('header is not valid JSON');
      expect(() => parseSafetensors(rawFile([1, 2], 0))).toThrow('header is not a JSON object');
      expect(() => parseSafetensors(rawFile({ __metadata__: { a: 1 } }, 0))).toThrow(
        '__metadata__ must be an object of strings',
      );
    });

    test('I64 values beyond 2^53 are refused rather than rounded', () => {
      const bad = rawFile({ n: { dtype: 'I64', shape: [], data_offsets: [0, 8] } }, 8);
      new DataView(bad.buffer).setBigInt64(bad.length - 8, 2n ** 60n, true);
      expect(() => parseSafetensors(bad)).toThrow("tensor 'n' element 0 is 1152921504606846976, beyond the 2^53");
    });

    test('every truncation of a valid file is rejected with a safetensors error', () => {
      const path = join(dir, 'truncate.safetensors');
      saveSafetensors(path, {
        w: tensor([
          [1, 2],
          [3, 4],
        ]),
        n: tensor(3, { dtype: 'float64' }),
      });
      const bytes = readFileSync(path);
      for (let cut = 0; cut < bytes.length; cut++) {
        expect(() => parseSafetensors(bytes.subarray(0, cut))).toThrow(/^safetensors: /);
      }
      expect(readSafetensors(path).tensors.size).toBe(2);
    });
  });
});
