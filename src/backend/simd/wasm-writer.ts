/**
 * A minimal WebAssembly binary writer: just enough of the format
 * (https://webassembly.github.io/spec/core/binary/) to emit one memory and a few functions over
 * i32 and v128 locals. arcgrad's SIMD kernels are written with it in TypeScript (gemm-module.ts, plane-kernels-module.ts),
 * so no compiler, .wasm file or build step sits between the source you read and the code that runs.
 */

/** Value types used by our kernels. */
export const valueType = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;

/** Unsigned LEB128, the encoding of every count, index and alignment in the binary format. */
export function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest !== 0);
  return bytes;
}

/** Signed LEB128, the encoding of i32.const immediates. */
export function signedLeb(value: number): number[] {
  const bytes: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...unsignedLeb(bytes.length), ...bytes];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

/** Memory access immediates: log2 of the alignment hint, then the constant byte offset. */
function memoryArgument(alignLog2: number, offset: number): number[] {
  return [...unsignedLeb(alignLog2), ...unsignedLeb(offset)];
}

function simd(opcode: number, ...immediates: number[]): number[] {
  return [0xfd, ...unsignedLeb(opcode), ...immediates];
}

/** Instructions, each returning its encoded bytes; names follow the text format. */
export const op = {
  block: (): number[] => [0x02, 0x40],
  loop: (): number[] => [0x03, 0x40],
  end: (): number[] => [0x0b],
  br: (depth: number): number[] => [0x0c, ...unsignedLeb(depth)],
  brIf: (depth: number): number[] => [0x0d, ...unsignedLeb(depth)],
  /** Picks the first operand if the i32 on top is non-zero, else the second. */
  select: (): number[] => [0x1b],
  /** select for v128 operands (the typed form). */
  selectV128: (): number[] => [0x1c, 0x01, 0x7b],
  localGet: (index: number): number[] => [0x20, ...unsignedLeb(index)],
  localSet: (index: number): number[] => [0x21, ...unsignedLeb(index)],
  localTee: (index: number): number[] => [0x22, ...unsignedLeb(index)],
  i32Const: (value: number): number[] => [0x41, ...signedLeb(value)],
  i32Add: (): number[] => [0x6a],
  i32Mul: (): number[] => [0x6c],
  i32Shl: (): number[] => [0x74],
  i32LtU: (): number[] => [0x49],
  i32Eqz: (): number[] => [0x45],
  f32Load: (offset = 0): number[] => [0x2a, ...memoryArgument(2, offset)],
  f32Store: (offset = 0): number[] => [0x38, ...memoryArgument(2, offset)],
  f64Load: (offset = 0): number[] => [0x2b, ...memoryArgument(3, offset)],
  f64Store: (offset = 0): number[] => [0x39, ...memoryArgument(3, offset)],
  f32Const: (value: number): number[] => [0x43, ...new Uint8Array(new Float32Array([value]).buffer)],
  f64Const: (value: number): number[] => [0x44, ...new Uint8Array(new Float64Array([value]).buffer)],
  f32Gt: (): number[] => [0x5e],
  f32Mul: (): number[] => [0x94],
  f64Add: (): number[] => [0xa0],
  f64Sub: (): number[] => [0xa1],
  f64Mul: (): number[] => [0xa2],
  f32DemoteF64: (): number[] => [0xb6],
  f64PromoteF32: (): number[] => [0xbb],
  v128Load: (offset = 0): number[] => simd(0x00, ...memoryArgument(4, offset)),
  v128Store: (offset = 0): number[] => simd(0x0b, ...memoryArgument(4, offset)),
  /** Loads one float32 and copies it into all four lanes. */
  v128Load32Splat: (offset = 0): number[] => simd(0x09, ...memoryArgument(2, offset)),
  v128Zero: (): number[] => simd(0x0c, ...new Array<number>(16).fill(0)),
  /** Lanes of two vectors picked by 16 byte indices (0-15 from the first, 16-31 from the second). */
  i8x16Shuffle: (lanes: number[]): number[] => simd(0x0d, ...lanes),
  f32x4Splat: (): number[] => simd(0x13),
  f64x2Splat: (): number[] => simd(0x14),
  f64x2ExtractLane: (lane: number): number[] => simd(0x21, lane),
  f32x4Gt: (): number[] => simd(0x44),
  /** Bits of the first operand where the third's are set, else of the second. */
  v128Bitselect: (): number[] => simd(0x52),
  /** Two float64 lanes narrowed to float32 lanes 0 and 1; lanes 2 and 3 become zero. */
  f32x4DemoteF64x2Zero: (): number[] => simd(0x5e),
  /** The two low float32 lanes widened to float64. */
  f64x2PromoteLowF32x4: (): number[] => simd(0x5f),
  f64x2Add: (): number[] => simd(0xf0),
  f64x2Sub: (): number[] => simd(0xf1),
  f64x2Mul: (): number[] => simd(0xf2),
  f32x4Add: (): number[] => simd(0xe4),
  f32x4Mul: (): number[] => simd(0xe6),
};

/** One function of a module: parameter and result types, extra locals, and its instructions. */
export interface WasmFunction {
  exportName: string;
  params: number[];
  results: number[];
  /** Types of the locals after the parameters, in index order. */
  locals: number[];
  body: number[][];
}

function encodeLocals(locals: number[]): number[] {
  // Runs of equal types are declared as (count, type) pairs.
  const runs: number[][] = [];
  for (const type of locals) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[1] === type) last[0]++;
    else runs.push([1, type]);
  }
  return vector(runs.map(([count, type]) => [...unsignedLeb(count), type]));
}

/**
 * A module with one growable memory of `initialPages` 64 KiB pages exported as "memory", and the
 * given functions exported by name.
 */
export function writeModule(functions: WasmFunction[], initialPages: number): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vector(f.params.map((t) => [t])), ...vector(f.results.map((t) => [t]))]);
  const functionIndices = functions.map((_, index) => unsignedLeb(index));
  const memory = [[0x00, ...unsignedLeb(initialPages)]];
  const exports = [
    [...name('memory'), 0x02, 0x00],
    ...functions.map((f, index) => [...name(f.exportName), 0x00, ...unsignedLeb(index)]),
  ];
  const bodies = functions.map((f) => {
    const body = [...encodeLocals(f.locals), ...f.body.flat(), 0x0b];
    return [...unsignedLeb(body.length), ...body];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(3, vector(functionIndices)),
    ...section(5, vector(memory)),
    ...section(7, vector(exports)),
    ...section(10, vector(bodies)),
  ]);
}
