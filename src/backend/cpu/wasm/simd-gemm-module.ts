import { op, valueType, type WasmFunction, writeModule } from './wasm-writer.js';

/**
 * The WebAssembly SIMD GEMM macro-kernel. JavaScript cannot issue vector instructions; WebAssembly's
 * 128-bit SIMD can (four float32 lanes per instruction), which is what lifts the 1x1 convolutions
 * past the scalar-JavaScript ceiling of about 4 GFLOP/s per core.
 *
 * `gemmBlock(rows, cols, depth, a, b, c, cStrideBytes)` adds packedA @ packedB into a float64 C
 * block in the module's memory, where
 * - packedA holds `rows / 4` panels of 4 rows; panel r stores, for each p < depth, the 4 values of
 *   its rows contiguously (gemm.ts's packPanelsA layout);
 * - packedB holds `cols / 8` panels of 8 columns; panel c stores, for each p, its 8 values
 *   (gemm.ts's packPanelsB layout);
 * - C is row-major float64 with a row stride of cStrideBytes.
 * rows must be a positive multiple of 4, cols of 8, depth positive: the caller pads.
 *
 * Each 4 x 8 tile of C keeps 8 float32x4 accumulators in vector registers while it runs over
 * `chunkSteps` depth steps, then adds them into its float64 tile. The short float32 chains keep
 * the rounding error near the scalar path's (which sums in float64): summing all of a 256-deep
 * block in float32 made the float32 training-step gradients up to 2.6x less accurate than
 * PyTorch's in the parity test, while adding each chunk into float64 costs about a tenth of the speed.
 */

/** Rows of the register tile; 4 rows x 8 columns = 8 accumulator vectors plus 3 operands fit x64's 16 vector registers. */
export const simdPanelRows = 4;

/** Columns of the register tile: two float32x4 vectors. */
export const simdPanelColumns = 8;

/** Depth steps summed in float32 before the tile's float64 sums take them. */
export const chunkSteps = 32;

// Parameters, then the locals, by index.
const rowsParam = 0;
const colsParam = 1;
const depthParam = 2;
const aParam = 3;
const bParam = 4;
const cParam = 5;
const cStrideParam = 6;
const bPanel = 7;
const bEnd = 8;
const aPanel = 9;
const aEnd = 10;
const aPointer = 11;
const bPointer = 12;
const bPanelEnd = 13;
const cTile = 14;
const cColumn = 15;
const cRow = 16;
const chunkEnd = 17;
const firstVector = 18;
const accumulator = (row: number, half: number): number => firstVector + row * 2 + half;
const bLow = firstVector + simdPanelRows * 2;
const bHigh = bLow + 1;
const aSplat = bLow + 2;

const rows = Array.from({ length: simdPanelRows }, (_, row) => row);
const halves = [0, 1];
const panelBytes = simdPanelColumns * 4;
/** Byte indices that move float32 lanes 2 and 3 into lanes 0 and 1. */
const highLanes = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];

/** local = local + value, where `value` leaves one i32 on the stack. */
function addTo(local: number, value: number[][]): number[][] {
  return [op.localGet(local), ...value, op.i32Add(), op.localSet(local)];
}

/** One rank-1 update of the tile: 8 B values, each of 4 A values splatted, 8 multiply-adds of 4 lanes. */
function depthStep(): number[][] {
  return [
    op.localGet(bPointer),
    op.v128Load(0),
    op.localSet(bLow),
    op.localGet(bPointer),
    op.v128Load(16),
    op.localSet(bHigh),
    ...rows.flatMap((row) => [
      op.localGet(aPointer),
      op.v128Load32Splat(row * 4),
      op.localSet(aSplat),
      ...[bLow, bHigh].flatMap((b, half) => [
        op.localGet(accumulator(row, half)),
        op.localGet(aSplat),
        op.localGet(b),
        op.f32x4Mul(),
        op.f32x4Add(),
        op.localSet(accumulator(row, half)),
      ]),
    ]),
    ...addTo(aPointer, [op.i32Const(simdPanelRows * 4)]),
    ...addTo(bPointer, [op.i32Const(panelBytes)]),
  ];
}

/** Adds the float32 accumulators into the float64 C tile (a row of 8 float64 is 64 bytes). */
function flushTile(): number[][] {
  return [
    op.localGet(cTile),
    op.localSet(cRow),
    ...rows.flatMap((row) => [
      ...halves.flatMap((half) =>
        [false, true].flatMap((high) => [
          op.localGet(cRow),
          op.localGet(cRow),
          op.v128Load(half * 32 + (high ? 16 : 0)),
          op.localGet(accumulator(row, half)),
          ...(high ? [op.localGet(accumulator(row, half)), op.i8x16Shuffle(highLanes)] : []),
          op.f64x2PromoteLowF32x4(),
          op.f64x2Add(),
          op.v128Store(half * 32 + (high ? 16 : 0)),
        ]),
      ),
      ...addTo(cRow, [op.localGet(cStrideParam)]),
    ]),
  ];
}

function gemmBlockFunction(): WasmFunction {
  const body: number[][] = [
    // bEnd = b + cols * depth * 4; aEnd = a + rows * depth * 4.
    op.localGet(bParam),
    op.localGet(colsParam),
    op.localGet(depthParam),
    op.i32Mul(),
    op.i32Const(2),
    op.i32Shl(),
    op.i32Add(),
    op.localSet(bEnd),
    op.localGet(aParam),
    op.localGet(rowsParam),
    op.localGet(depthParam),
    op.i32Mul(),
    op.i32Const(2),
    op.i32Shl(),
    op.i32Add(),
    op.localSet(aEnd),
    op.localGet(bParam),
    op.localSet(bPanel),
    op.localGet(cParam),
    op.localSet(cColumn),
    op.loop(), // over panels of 8 columns
    op.localGet(aParam),
    op.localSet(aPanel),
    op.localGet(cColumn),
    op.localSet(cTile),
    // bPanelEnd = bPanel + depth * 32
    op.localGet(bPanel),
    op.localGet(depthParam),
    op.i32Const(5),
    op.i32Shl(),
    op.i32Add(),
    op.localSet(bPanelEnd),
    op.loop(), // over panels of 4 rows
    op.localGet(aPanel),
    op.localSet(aPointer),
    op.localGet(bPanel),
    op.localSet(bPointer),
    op.loop(), // over chunks of the depth
    ...rows.flatMap((row) => halves.flatMap((half) => [op.v128Zero(), op.localSet(accumulator(row, half))])),
    // chunkEnd = min(bPointer + chunkSteps * 32, bPanelEnd)
    op.localGet(bPointer),
    op.i32Const(chunkSteps * panelBytes),
    op.i32Add(),
    op.localGet(bPanelEnd),
    op.localGet(bPointer),
    op.i32Const(chunkSteps * panelBytes),
    op.i32Add(),
    op.localGet(bPanelEnd),
    op.i32LtU(),
    op.select(),
    op.localSet(chunkEnd),
    op.loop(), // over the chunk's depth steps
    ...depthStep(),
    op.localGet(bPointer),
    op.localGet(chunkEnd),
    op.i32LtU(),
    op.brIf(0),
    op.end(),
    ...flushTile(),
    op.localGet(bPointer),
    op.localGet(bPanelEnd),
    op.i32LtU(),
    op.brIf(0),
    op.end(),
    // Next row panel: A's pointer already stands at its start; C moves down 4 rows.
    op.localGet(cRow),
    op.localSet(cTile),
    op.localGet(aPointer),
    op.localTee(aPanel),
    op.localGet(aEnd),
    op.i32LtU(),
    op.brIf(0),
    op.end(),
    // Next column panel: B's pointer already stands at its start; C moves right 8 float64 columns.
    op.localGet(bPointer),
    op.localTee(bPanel),
    op.localGet(cColumn),
    op.i32Const(simdPanelColumns * 8),
    op.i32Add(),
    op.localSet(cColumn),
    op.localGet(bEnd),
    op.i32LtU(),
    op.brIf(0),
    op.end(),
  ];
  const { i32, v128 } = valueType;
  return {
    exportName: 'gemmBlock',
    params: [i32, i32, i32, i32, i32, i32, i32],
    results: [],
    locals: [...new Array<number>(firstVector - 7).fill(i32), ...new Array<number>(simdPanelRows * 2 + 3).fill(v128)],
    body,
  };
}

/** The module's bytes: memory (initially `initialPages` pages of 64 KiB, growable) and gemmBlock. */
export function simdGemmModuleBytes(initialPages: number): Uint8Array<ArrayBuffer> {
  return writeModule([gemmBlockFunction()], initialPages);
}
