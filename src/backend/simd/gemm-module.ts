import { gemmDotBlockFunction } from './dot-module.js';
import { op, valueType, type WasmFunction, writeModule } from './wasm-writer.js';

/**
 * The WebAssembly SIMD GEMM macro-kernel. JavaScript cannot issue vector instructions; WebAssembly's
 * 128-bit SIMD can (four float32 lanes per instruction), which is what lifts the 1x1 convolutions
 * past the scalar-JavaScript ceiling of about 4 GFLOP/s per core.
 *
 * `gemmBlock(rows, cols, depth, a, b, bPanelStep, bRowStep, c64, c64Stride, c32, c32Stride, fresh)`
 * adds A @ B into a float64 C block in the module's memory and leaves its float32 rounding in a
 * second block, where (all pointers and steps in bytes)
 * - A is packed: `rows / 4` panels of 4 rows; panel r stores, for each p < depth, the 4 values of
 *   its rows contiguously (gemm.ts's packPanelsA layout);
 * - B is read in panels of 8 columns: panel j starts at b + j * bPanelStep and its row p (8 values)
 *   at + p * bRowStep. Packed panels (gemm.ts's packPanelsB) have bPanelStep = depth * 32 and
 *   bRowStep = 32; a row-major block copied in as it is has bPanelStep = 32 and bRowStep = its row;
 * - C's float64 block (row stride c64Stride) takes the sums; with `fresh` (the first depth block)
 *   its old values are ignored rather than read, so it needs no clearing; the float32 block (row
 *   stride c32Stride) receives every sum rounded, ready to copy out after the last depth block.
 * rows must be a positive multiple of 4, cols of 8, depth positive: the caller pads.
 *
 * Each 4 x 8 tile of C keeps 8 float32x4 accumulators in vector registers while it runs over
 * `chunkSteps` depth steps, then adds them into its float64 tile. The short float32 chains keep
 * the rounding error near the scalar path's (which sums in float64): summing all of a 256-deep
 * block in float32 made the float32 training-step gradients up to 2.6x less accurate than
 * PyTorch's in the parity test, while adding each chunk into float64 costs about a tenth of the speed.
 */

/** Rows of the register tile; 4 rows x 8 columns = 8 accumulator vectors plus 3 operands fit x64's 16 vector registers. */
const simdPanelRows = 4;

/** Columns of the register tile: two float32x4 vectors. */
const simdPanelColumns = 8;

/** Depth steps summed in float32 before the tile's float64 sums take them. */
const chunkSteps = 32;

// Parameters, then the locals, by index.
const [rowsParam, colsParam, depthParam, aParam, bParam, bPanelStep, bRowStep] = [0, 1, 2, 3, 4, 5, 6];
const [c64Param, c64Stride, c32Param, c32Stride, freshParam] = [7, 8, 9, 10, 11];
const parameterCount = 12;
const [bPanel, aPanel, aEnd, aPointer, bPointer, bPanelEnd, chunkEnd] = [12, 13, 14, 15, 16, 17, 18];
const [tile64, column64, row64, tile32, column32, row32, overwrite, colsLeft] = [19, 20, 21, 22, 23, 24, 25, 26];
const firstVector = 27;
const accumulator = (row: number, half: number): number => firstVector + row * 2 + half;
const bLow = firstVector + simdPanelRows * 2;
const bHigh = bLow + 1;
const aSplat = bLow + 2;
const sumLow = bLow + 3;
const sumHigh = bLow + 4;

const rows = Array.from({ length: simdPanelRows }, (_, row) => row);
const halves = [0, 1];
/** Byte indices that move float32 lanes 2 and 3 into lanes 0 and 1. */
const highLanes = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
/** Byte indices joining lanes 0-1 of the first operand and lanes 0-1 of the second. */
const lowHalves = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];

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
    ...addTo(bPointer, [op.localGet(bRowStep)]),
  ];
}

/** sum = (overwrite ? 0 : float64 C at row64 + offset) + widened accumulator lanes (low or high pair). */
function addedPair(row: number, half: number, high: boolean, sum: number): number[][] {
  const offset = half * 32 + (high ? 16 : 0);
  return [
    op.v128Zero(),
    op.localGet(row64),
    op.v128Load(offset),
    op.localGet(overwrite),
    op.selectV128(),
    op.localGet(accumulator(row, half)),
    ...(high ? [op.localGet(accumulator(row, half)), op.i8x16Shuffle(highLanes)] : []),
    op.f64x2PromoteLowF32x4(),
    op.f64x2Add(),
    op.localSet(sum),
    op.localGet(row64),
    op.localGet(sum),
    op.v128Store(offset),
  ];
}

/** Adds the float32 accumulators into the float64 C tile and stores the rounded sums in the float32 tile. */
function flushTile(): number[][] {
  return [
    op.localGet(tile64),
    op.localSet(row64),
    op.localGet(tile32),
    op.localSet(row32),
    ...rows.flatMap((row) => [
      ...halves.flatMap((half) => [
        ...addedPair(row, half, false, sumLow),
        ...addedPair(row, half, true, sumHigh),
        op.localGet(row32),
        op.localGet(sumLow),
        op.f32x4DemoteF64x2Zero(),
        op.localGet(sumHigh),
        op.f32x4DemoteF64x2Zero(),
        op.i8x16Shuffle(lowHalves),
        op.v128Store(half * 16),
      ]),
      ...addTo(row64, [op.localGet(c64Stride)]),
      ...addTo(row32, [op.localGet(c32Stride)]),
    ]),
    op.i32Const(0),
    op.localSet(overwrite),
  ];
}

function gemmBlockFunction(): WasmFunction {
  const body: number[][] = [
    // aEnd = a + rows * depth * 4.
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
    op.localGet(c64Param),
    op.localSet(column64),
    op.localGet(c32Param),
    op.localSet(column32),
    op.localGet(colsParam),
    op.localSet(colsLeft),
    op.loop(), // over panels of 8 columns
    op.localGet(aParam),
    op.localSet(aPanel),
    op.localGet(column64),
    op.localSet(tile64),
    op.localGet(column32),
    op.localSet(tile32),
    // bPanelEnd = bPanel + depth * bRowStep
    op.localGet(bPanel),
    op.localGet(depthParam),
    op.localGet(bRowStep),
    op.i32Mul(),
    op.i32Add(),
    op.localSet(bPanelEnd),
    op.loop(), // over panels of 4 rows
    op.localGet(aPanel),
    op.localSet(aPointer),
    op.localGet(bPanel),
    op.localSet(bPointer),
    op.localGet(freshParam),
    op.localSet(overwrite),
    op.loop(), // over chunks of the depth
    ...rows.flatMap((row) => halves.flatMap((half) => [op.v128Zero(), op.localSet(accumulator(row, half))])),
    // chunkEnd = min(bPointer + chunkSteps * bRowStep, bPanelEnd)
    op.localGet(bPointer),
    op.localGet(bRowStep),
    op.i32Const(chunkSteps),
    op.i32Mul(),
    op.i32Add(),
    op.localTee(chunkEnd),
    op.localGet(bPanelEnd),
    op.localGet(chunkEnd),
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
    op.localGet(row64),
    op.localSet(tile64),
    op.localGet(row32),
    op.localSet(tile32),
    op.localGet(aPointer),
    op.localTee(aPanel),
    op.localGet(aEnd),
    op.i32LtU(),
    op.brIf(0),
    op.end(),
    // Next column panel; C moves right 8 columns.
    ...addTo(bPanel, [op.localGet(bPanelStep)]),
    ...addTo(column64, [op.i32Const(simdPanelColumns * 8)]),
    ...addTo(column32, [op.i32Const(simdPanelColumns * 4)]),
    ...addTo(colsLeft, [op.i32Const(-simdPanelColumns)]),
    op.localGet(colsLeft),
    op.brIf(0),
    op.end(),
  ];
  const { i32, v128 } = valueType;
  return {
    exportName: 'gemmBlock',
    params: new Array<number>(parameterCount).fill(i32),
    results: [],
    locals: [
      ...new Array<number>(firstVector - parameterCount).fill(i32),
      ...new Array<number>(simdPanelRows * 2 + 5).fill(v128),
    ],
    body,
  };
}

/**
 * The module's bytes: memory (initially `initialPages` pages of 64 KiB, growable), gemmBlock, and
 * dot-module.ts's gemmDotBlock.
 */
export function simdGemmModuleBytes(initialPages: number): Uint8Array<ArrayBuffer> {
  return writeModule([gemmBlockFunction(), gemmDotBlockFunction()], initialPages);
}
