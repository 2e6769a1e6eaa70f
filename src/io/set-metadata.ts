import { parseSafetensors } from './safetensors.js';

/**
 * The bytes of a safetensors file with the given metadata entries set (the others kept) and every
 * tensor's bytes copied unchanged: re-encoding the tensors instead could change their storage
 * dtypes (I64 is read as float64), and a model file must come back bit for bit. The input is
 * fully checked first.
 */
export function setSafetensorsMetadata(bytes: Uint8Array, entries: Readonly<Record<string, string>>): Uint8Array {
  for (const [key, value] of Object.entries(entries)) {
    if (typeof value !== 'string')
      throw new Error(`setSafetensorsMetadata: metadata '${key}' must be a string, got ${typeof value}`);
  }
  const { metadata } = parseSafetensors(bytes);
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  // The data offsets count from the end of the header, so a header of another length moves nothing.
  let json = JSON.stringify({ ...header, __metadata__: { ...metadata, ...entries } });
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const data = bytes.subarray(8 + headerLength);
  const out = new Uint8Array(8 + headerBytes.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  out.set(data, 8 + headerBytes.length);
  return out;
}
