import { op, valueType, type WasmFunction } from './wasm-writer.js';

/**
 * `gemmDotBlock(rows, cols, depth, a, aRowStep, b, bRowStep, c64, c64Stride, c32, c32Stride, fresh)`:
 * C[i][j] += sum over p of A[i][p] * B[j][p], for A and B whose rows both run along the depth.
 * That is the shape of a convolution's weight gradient (dy rows times input rows) and of x @ W^T:
 * the B operand of gemm-module.ts would first need a transposing pack, which cost as much as the
 * multiply on these shapes. Here both are copied row by row and read in place.
 *
 * Each 4 x 2 tile of C keeps 8 float32x4 accumulators, one per output, holding four partial sums
 * over the depth (its lanes); every `chunkVectors` steps they are summed across lanes in float64 and
 * added into the float64 C tile (ignoring its old value when `fresh`), whose float32 rounding goes
 * to the c32 block. Pointers and steps are bytes; rows must be a positive multiple of 4, cols of 2,
 * depth of 4 (the caller pads with zeros).
 */

const { i32, v128 } = valueType;

/** Depth vectors (4 values each) summed in float32 before the float64 tile takes them. */
const chunkVectors = 32;

const [rowsParam, colsParam, depthParam, aParam, aRowStep, bParam, bRowStep] = [0, 1, 2, 3, 4, 5, 6];
const [c64Param, c64Stride, c32Param, c32Stride, freshParam] = [7, 8, 9, 10, 11];
const parameterCount = 12;
const [bRow, aQuad, aEnd, offset, depthBytes, chunkEnd, tile64, tile32, column64, column32, overwrite] = [
  12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
];
const aRow = (row: number): number => 23 + row;
const firstVector = 27;
const accumulator = (row: number, column: number): number => firstVector + row * 2 + column;
const bValue = (column: number): number => firstVector + 8 + column;
const aValue = firstVector + 10;

const rows = [0, 1, 2, 3];
const columns = [0, 1];
const highLanes = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];

function addTo(local: number, value: number[][]): number[][] {
  return [op.localGet(local), ...value, op.i32Add(), op.localSet(local)];
}

/** One depth vector: 2 B vectors, 4 A vectors, 8 multiply-adds of 4 lanes. */
function depthVector(): number[][] {
  return [
    ...columns.flatMap((column) => [
      op.localGet(bRow),
      ...(column === 1 ? [op.localGet(bRowStep), op.i32Add()] : []),
      op.localGet(offset),
      op.i32Add(),
      op.v128Load(),
      op.localSet(bValue(column)),
    ]),
    ...rows.flatMap((row) => [
      op.localGet(aRow(row)),
      op.localGet(offset),
      op.i32Add(),
      op.v128Load(),
      op.localSet(aValue),
      ...columns.flatMap((column) => [
        op.localGet(accumulator(row, column)),
        op.localGet(aValue),
        op.localGet(bValue(column)),
        op.f32x4Mul(),
        op.f32x4Add(),
        op.localSet(accumulator(row, column)),
      ]),
    ]),
    ...addTo(offset, [op.i32Const(16)]),
  ];
}

/** The four lanes of an accumulator summed in float64, left on the stack. */
function laneSum(local: number): number[][] {
  return [
    op.localGet(local),
    op.f64x2PromoteLowF32x4(),
    op.localGet(local),
    op.localGet(local),
    op.i8x16Shuffle(highLanes),
    op.f64x2PromoteLowF32x4(),
    op.f64x2Add(),
    op.localTee(aValue),
    op.f64x2ExtractLane(0),
    op.localGet(aValue),
    op.f64x2ExtractLane(1),
    op.f64Add(),
  ];
}

/** C64[r][c] = (overwrite ? 0 : C64[r][c]) + lane sum; C32[r][c] = its float32 rounding. */
function flushTile(): number[][] {
  return rows.flatMap((row) =>
    columns.flatMap((column) => {
      const at64 = [op.localGet(tile64), op.localGet(c64Stride), op.i32Const(row), op.i32Mul(), op.i32Add()];
      const at32 = [op.localGet(tile32), op.localGet(c32Stride), op.i32Const(row), op.i32Mul(), op.i32Add()];
      return [
        ...at32,
        ...at64,
        op.f64Const(0),
        ...at64,
        op.f64Load(column * 8),
        op.localGet(overwrite),
        op.select(),
        ...laneSum(accumulator(row, column)),
        op.f64Add(),
        op.f64Store(column * 8),
        ...at64,
        op.f64Load(column * 8),
        op.f32DemoteF64(),
        op.f32Store(column * 4),
      ];
    }),
  );
}

/** The gemmDotBlock function (see the file comment). */
export function gemmDotBlockFunction(): WasmFunction {
  const body: number[][] = [
    op.localGet(depthParam),
    op.i32Const(2),
    op.i32Shl(),
    op.localSet(depthBytes),
    // aEnd = a + rows * aRowStep
    op.localGet(aParam),
    op.localGet(rowsParam),
    op.localGet(aRowStep),
    op.i32Mul(),
    op.i32Add(),
    op.localSet(aEnd),
    op.localGet(bParam),
    op.localSet(bRow),
    op.localGet(c64Param),
    op.localSet(column64),
    op.localGet(c32Param),
    op.localSet(column32),
    op.loop(), // over pairs of columns (pairs of B rows)
    op.localGet(aParam),
    op.localSet(aQuad),
    op.localGet(column64),
    op.localSet(tile64),
    op.localGet(column32),
    op.localSet(tile32),
    op.loop(), // over quads of rows
    ...rows.flatMap((row) => [
      op.localGet(aQuad),
      op.localGet(aRowStep),
      op.i32Const(row),
      op.i32Mul(),
      op.i32Add(),
      op.localSet(aRow(row)),
    ]),
    op.i32Const(0),
    op.localSet(offset),
    op.localGet(freshParam),
    op.localSet(overwrite),
    op.loop(), // over chunks of the depth
    ...rows.flatMap((row) => columns.flatMap((column) => [op.v128Zero(), op.localSet(accumulator(row, column))])),
    // chunkEnd = min(offset + chunkVectors * 16, depthBytes)
    op.localGet(offset),
    op.i32Const(chunkVectors * 16),
    op.i32Add(),
    op.localTee(chunkEnd),
    op.localGet(depthBytes),
    op.localGet(chunkEnd),
    op.localGet(depthBytes),
    op.i32LtU(),
    op.select(),
    op.localSet(chunkEnd),
    op.loop(), // over the chunk's depth vectors
    ...depthVector(),
    op.localGet(offset),
    op.localGet(chunkEnd),
    op.i32LtU(),
    op.brIf(0),
    op.end(),
    ...flushTile(),
    op.i32Const(0),
    op.localSet(overwrite),
    op.localGet(offset),
    op.localGet(depthBytes),
    op.i32LtU(),
    op.brIf(0),
    op.end(),
    // Next quad of rows: A moves down 4 rows, C down 4 rows.
    ...addTo(tile64, [op.localGet(c64Stride), op.i32Const(4), op.i32Mul()]),
    ...addTo(tile32, [op.localGet(c32Stride), op.i32Const(4), op.i32Mul()]),
    ...addTo(aQuad, [op.localGet(aRowStep), op.i32Const(4), op.i32Mul()]),
    op.localGet(aQuad),
    op.localGet(aEnd),
    op.i32LtU(),
    op.brIf(0),
    op.end(),
    // Next pair of columns: B moves down 2 rows, C right 2 columns.
    ...addTo(bRow, [op.localGet(bRowStep), op.i32Const(2), op.i32Mul()]),
    ...addTo(column64, [op.i32Const(16)]),
    ...addTo(column32, [op.i32Const(8)]),
    ...addTo(colsParam, [op.i32Const(-2)]),
    op.localGet(colsParam),
    op.brIf(0),
    op.end(),
  ];
  return {
    exportName: 'gemmDotBlock',
    params: new Array<number>(parameterCount).fill(i32),
    results: [],
    locals: [...new Array<number>(firstVector - parameterCount).fill(i32), ...new Array<number>(11).fill(v128)],
    body,
  };
}
