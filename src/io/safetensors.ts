import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { allocate } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
 * header length N, N bytes of JSON mapping each name to {dtype, shape, data_offsets: [begin, end]}
 * (offsets into the data that follows) plus an optional "__metadata__" of strings, then the raw
 * little-endian data. Every field is validated before any tensor is allocated, so a damaged or
 * hostile file gets an error naming the problem, never a crash or a huge allocation.
 */

/** Element types arcgrad reads and writes. I64 is read into float64 tensors (exact below 2^53). */
export type SafetensorsDType = 'F32' | 'F64' | 'I64';

/** Tensors by name: a Map or a plain object (a state dict). */
export type TensorDict = ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;

/** The contents of a safetensors file. */
export interface SafetensorsContents {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

/** Options of {@link parseSafetensors}. */
export interface ParseSafetensorsOptions {
  /** Largest header accepted, in bytes (default 100,000,000 like the reference implementation). */
  maxHeaderBytes?: number;
}

/** Options of {@link serializeSafetensors} and {@link saveSafetensors}. */
export interface SaveSafetensorsOptions {
  /** Free-form string metadata stored under "__metadata__". */
  metadata?: Readonly<Record<string, string>>;
  /** Per-name storage dtype; by default a tensor's own (F32 or F64). Use I64 for integer buffers such as num_batches_tracked. */
  dtypes?: Readonly<Record<string, SafetensorsDType>>;
}

const ITEM_SIZE: Record<SafetensorsDType, number> = { F32: 4, F64: 8, I64: 8 };
const DEFAULT_MAX_HEADER = 100_000_000;

function fail(message: string): never {
  throw new Error(`safetensors: ${message}`);
}

function isDType(value: unknown): value is SafetensorsDType {
  return value === 'F32' || value === 'F64' || value === 'I64';
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

interface Entry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  begin: number;
  end: number;
}

/** Validates one header entry against the data length; throws naming the tensor and the field. */
function readEntry(name: string, raw: unknown, dataLength: number): Entry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(`entry '${name}' is not an object`);
  const { dtype, shape, data_offsets: offsets, ...unknown } = raw as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length > 0)
    fail(`tensor '${name}' has unknown fields ${extra.join(', ')} (known: dtype, shape, data_offsets)`);
  if (!isDType(dtype)) fail(`tensor '${name}' has dtype ${JSON.stringify(dtype)}; supported: F32, F64, I64`);
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    fail(`tensor '${name}' has shape ${JSON.stringify(shape)}; expected an array of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    fail(`tensor '${name}' has data_offsets ${JSON.stringify(offsets)}; expected [begin, end] integers`);
  }
  const [begin, end] = offsets as number[];
  if (begin > end || end > dataLength) {
    fail(`tensor '${name}' has data_offsets [${begin}, ${end}] outside the ${dataLength}-byte data section`);
  }
  let bytes = ITEM_SIZE[dtype];
  for (const d of shape as number[]) bytes *= d;
  if (bytes !== end - begin) {
    fail(
      `tensor '${name}' (${dtype} ${formatShape(shape as number[])}) needs ${bytes} bytes but data_offsets span ${end - begin}`,
    );
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

/** Checks that the tensors tile the data section exactly: no overlap, no gap, nothing left over. */
function checkCoverage(entries: Entry[], dataLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let position = 0;
  let previous: Entry | null = null;
  for (const entry of sorted) {
    if (entry.begin < position && previous) {
      fail(
        `tensors '${previous.name}' [${previous.begin}, ${previous.end}) and '${entry.name}' [${entry.begin}, ${entry.end}) overlap`,
      );
    }
    if (entry.begin > position) fail(`data bytes [${position}, ${entry.begin}) belong to no tensor`);
    position = entry.end;
    previous = entry;
  }
  if (position !== dataLength) fail(`data bytes [${position}, ${dataLength}) belong to no tensor`);
}

/** Decodes one tensor's bytes (copied, so alignment never matters). */
function decode(entry: Entry, data: Uint8Array): Tensor {
  const bytes = data.subarray(entry.begin, entry.end);
  const count = (entry.end - entry.begin) / ITEM_SIZE[entry.dtype];
  if (entry.dtype === 'F32' || entry.dtype === 'F64') {
    const out = allocate(entry.dtype === 'F32' ? 'float32' : 'float64', count);
    new Uint8Array(out.buffer).set(bytes);
    return new Tensor(out, entry.shape);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const value = view.getBigInt64(i * 8, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      fail(`tensor '${entry.name}' element ${i} is ${value}, beyond the 2^53 that a float64 holds exactly`);
    }
    out[i] = Number(value);
  }
  return new Tensor(out, entry.shape);
}

/** Reads and checks the 8-byte header length against the file size and the limit. */
function headerLength(prefix: Uint8Array, fileLength: number, maxHeaderBytes: number): number {
  if (fileLength < 8) fail(`file is ${fileLength} bytes, too short for the 8-byte header length`);
  const length = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(maxHeaderBytes)) fail(`header length ${length} exceeds the limit of ${maxHeaderBytes} bytes`);
  if (8n + length > BigInt(fileLength)) {
    fail(`header length ${length} runs past the end of the ${fileLength}-byte file (truncated or corrupt)`);
  }
  return Number(length);
}

/** Most tensors one file may hold: far above a real model's, and it keeps the header work under a second. */
export const maxSafetensorsEntries = 100_000;

/**
 * The first name that the header object repeats, or null. JSON.parse keeps the last of duplicate
 * keys, so a repeated tensor name would silently replace the first; this scans the top level once.
 */
function repeatedTopLevelKey(text: string): string | null {
  const seen = new Set<string>();
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      if (depth === 1 && expectKey) {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (seen.has(key)) return key;
        seen.add(key);
        expectKey = false;
      }
    } else if (c === '{' || c === '[') {
      depth++;
      expectKey = depth === 1;
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (c === ',' && depth === 1) {
      expectKey = true;
    }
  }
  return null;
}

/** Parses safetensors bytes; throws `safetensors: ...` naming the first problem found. */
export function parseSafetensors(bytes: Uint8Array, options: ParseSafetensorsOptions = {}): SafetensorsContents {
  const length = headerLength(bytes, bytes.length, options.maxHeaderBytes ?? DEFAULT_MAX_HEADER);
  let text: string;
  try {
    // Replacing invalid bytes would silently rename tensors.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + length));
  } catch {
    fail('header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    fail(`header is not valid JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');
  const names = Object.keys(header);
  if (names.length > maxSafetensorsEntries + 1) {
    fail(`header holds ${names.length} entries, more than the limit of ${maxSafetensorsEntries} tensors`);
  }
  const repeated = repeatedTopLevelKey(text);
  if (repeated !== null) fail(`header names '${repeated}' twice`);
  const data = bytes.subarray(8 + length);
  const entries: Entry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      const valid =
        typeof raw === 'object' &&
        raw !== null &&
        !Array.isArray(raw) &&
        Object.values(raw).every((v) => typeof v === 'string');
      if (!valid) fail('__metadata__ must be an object of strings');
      metadata = { ...(raw as Record<string, string>) };
      continue;
    }
    entries.push(readEntry(name, raw, data.length));
  }
  checkCoverage(entries, data.length);
  return { tensors: new Map(entries.map((e) => [e.name, decode(e, data)])), metadata };
}

/**
 * Reads a safetensors file with its metadata. Anything but a regular file (a FIFO, a device) is
 * refused before it is opened: opening a FIFO blocks until a writer appears.
 */
export function readSafetensors(path: string, options: ParseSafetensorsOptions = {}): SafetensorsContents {
  if (!statSync(path).isFile()) fail(`${path} is not a regular file`);
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const prefix = new Uint8Array(8);
    readSync(fd, prefix, 0, Math.min(8, size), 0);
    // Checked before reading the rest, so a bogus length never drives an allocation.
    headerLength(prefix, size, options.maxHeaderBytes ?? DEFAULT_MAX_HEADER);
    const bytes = new Uint8Array(size);
    let offset = 0;
    while (offset < size) {
      const read = readSync(fd, bytes, offset, size - offset, offset);
      if (read === 0) fail(`${path} shrank while being read`);
      offset += read;
    }
    return parseSafetensors(bytes, options);
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(message.startsWith('safetensors:') ? `${message} [${path}]` : message);
  } finally {
    closeSync(fd);
  }
}

/** Loads the tensors of a safetensors file, by name, ready for `Module.loadStateDict`. */
export function loadSafetensors(path: string, options: ParseSafetensorsOptions = {}): Map<string, Tensor> {
  return readSafetensors(path, options).tensors;
}

/** Encodes tensors (and string metadata) as safetensors bytes; the header is padded to 8 bytes. */
export function serializeSafetensors(dict: TensorDict, options: SaveSafetensorsOptions = {}): Uint8Array {
  const entries = dict instanceof Map ? [...(dict as ReadonlyMap<string, Tensor>)] : Object.entries(dict);
  const header: Record<string, unknown> = {};
  const metadata = options.metadata ?? {};
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') fail(`metadata '${key}' must be a string, got ${typeof value}`);
  }
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const planned: { tensor: Tensor; dtype: SafetensorsDType; begin: number }[] = [];
  for (const [name, tensor] of entries) {
    if (name === '__metadata__') fail("'__metadata__' is reserved and cannot name a tensor");
    if (!(tensor instanceof Tensor)) fail(`'${name}' is not a Tensor`);
    const dtype = options.dtypes?.[name] ?? (tensor.dtype === 'float64' ? 'F64' : 'F32');
    if (!isDType(dtype)) fail(`'${name}' has unsupported dtype ${String(dtype)}; supported: F32, F64, I64`);
    if (dtype === 'I64' && !tensor.data.every((v) => Number.isSafeInteger(v))) {
      fail(`'${name}' is stored as I64 but holds non-integer values`);
    }
    const bytes = tensor.size * ITEM_SIZE[dtype];
    header[name] = { dtype, shape: [...tensor.shape], data_offsets: [offset, offset + bytes] };
    planned.push({ tensor, dtype, begin: offset });
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  const dataStart = 8 + headerBytes.length;
  for (const { tensor, dtype, begin } of planned) {
    const at = dataStart + begin;
    if (dtype === 'I64') {
      for (let i = 0; i < tensor.size; i++) view.setBigInt64(at + i * 8, BigInt(tensor.data[i]), true);
      continue;
    }
    const converted = dtype === 'F32' ? Float32Array.from(tensor.data) : Float64Array.from(tensor.data);
    out.set(new Uint8Array(converted.buffer), at);
  }
  return out;
}

/**
 * The storage dtypes PyTorch uses for a state dict: I64 for the `num_batches_tracked` counters
 * (int64 buffers in torch), each tensor's own dtype otherwise. Pass as `dtypes` when saving
 * weights that PyTorch should load with `load_state_dict` unchanged.
 */
export function pytorchDTypes(dict: TensorDict): Record<string, SafetensorsDType> {
  const names = dict instanceof Map ? [...(dict as ReadonlyMap<string, Tensor>).keys()] : Object.keys(dict);
  return Object.fromEntries(names.filter((n) => n.endsWith('num_batches_tracked')).map((n) => [n, 'I64' as const]));
}

/**
 * Writes tensors to a safetensors file atomically: the bytes go to a temporary file in the same
 * folder, which is then renamed over `path`, so a crash never leaves a half-written file.
 */
export function saveSafetensors(path: string, dict: TensorDict, options: SaveSafetensorsOptions = {}): void {
  const bytes = serializeSafetensors(dict, options);
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
