import { describe, expect, test } from 'vitest';
import { parseSafetensors, serializeSafetensors, setSafetensorsMetadata } from '../../src/io/index.js';
import { Tensor } from '../../src/tensor/index.js';

describe('setSafetensorsMetadata', () => {
  const tensors = {
    weight: new Tensor(Float32Array.from([1.5, -2, 3.25]), [3]),
    num_batches_tracked: new Tensor(Float64Array.from([7]), []),
  };
  const bytes = serializeSafetensors(tensors, {
    metadata: { keep: 'me', note: 'old' },
    dtypes: { num_batches_tracked: 'I64' },
  });

  test('sets the given entries, keeps the others, and copies every tensor byte', () => {
    const updated = setSafetensorsMetadata(bytes, { note: 'new', added: 'x'.repeat(13) });
    const contents = parseSafetensors(updated);
    expect(contents.metadata).toEqual({ keep: 'me', note: 'new', added: 'x'.repeat(13) });
    expect(Array.from(contents.tensors.get('weight')!.data)).toEqual([1.5, -2, 3.25]);
    const headerEnd = (b: Uint8Array) => 8 + Number(new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true));
    expect(Buffer.compare(updated.subarray(headerEnd(updated)), bytes.subarray(headerEnd(bytes)))).toBe(0);
    // The int64 counter stays int64: re-encoding the tensors would have written it as F64.
    const header = JSON.parse(new TextDecoder().decode(updated.subarray(8, headerEnd(updated))));
    expect(header.num_batches_tracked.dtype).toBe('I64');
    expect(headerEnd(updated) % 8).toBe(0);
  });

  test('damaged input is refused before anything is written', () => {
    expect(() => setSafetensorsMetadata(bytes.subarray(0, 20), { a: 'b' })).toThrow('safetensors:');
  });
});
