import { op, valueType, type WasmFunction, writeModule } from './wasm-writer.js';

/**
 * WebAssembly SIMD loops over one NCHW plane (`count` contiguous float32 values) for the
 * elementwise ops around every convolution: batch normalisation and PReLU. In JavaScript these run
 * one element at a time at several nanoseconds each; here four lanes at a time. Sums and the
 * normalisation arithmetic run in float64 lanes, as the TypeScript loops in src/ops do, so the
 * outputs match them (sums may differ in the last float64 bits: two lanes add in another order).
 *
 * Pointers are byte offsets into the module's memory; every function handles any count (a vector
 * loop over groups of four, then a scalar loop over the rest).
 * - planeSum(x, count) -> f64: sum of x.
 * - planeSquaredDeviation(x, count, mean) -> f64: sum of (x - mean)^2.
 * - planeAffine(x, out, count, scale, shift): out = float32(x * scale + shift).
 * - planeGradientSums(g, x, count, mean, result): result[0] = sum g, result[1] = sum g (x - mean) (f64).
 * - planeNormGradient(g, x, out, count, scale, meanG, mean, coefficient):
 *   out = float32(scale * (g - meanG - (x - mean) * coefficient)).
 * - planePrelu(x, out, count, slope): out = x where x > 0, else x * slope (float32).
 * - planePreluGradient(g, x, out, count, slope) -> f64: out = g where x > 0, else g * slope; returns
 *   the sum of g x over the elements where x is not > 0.
 */

const { i32, f32, f64, v128 } = valueType;

/** Byte indices that move lanes 2 and 3 into lanes 0 and 1. */
const highLanes = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
/** Byte indices joining lanes 0-1 of the first operand and lanes 0-1 of the second. */
const lowHalves = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];

/** Declares a function's parameters and locals by name and hands out their indices. */
class Signature {
  readonly params: number[] = [];
  readonly locals: number[] = [];
  private readonly indices = new Map<string, number>();
  constructor(params: [string, number][]) {
    for (const [name, type] of params) {
      this.indices.set(name, this.params.length);
      this.params.push(type);
    }
  }
  local(name: string, type: number): number {
    const index = this.params.length + this.locals.length;
    this.indices.set(name, index);
    this.locals.push(type);
    return index;
  }
  get(name: string): number {
    const index = this.indices.get(name);
    if (index === undefined) throw new Error(`plane kernels: no local named ${name}`);
    return index;
  }
}

/** local += step, for i32 pointers and counters. */
function advance(local: number, step: number): number[][] {
  return [op.localGet(local), op.i32Const(step), op.i32Add(), op.localSet(local)];
}

/**
 * The shared loop: `vector` runs while four or more elements remain, `scalar` for the rest; both
 * find their data at the `pointers`, which then move 16 or 4 bytes.
 */
function planeLoop(pointers: number[], remaining: number, vector: number[][], scalar: number[][]): number[][] {
  const loop = (width: number, body: number[][], exitWhen: number[][]): number[][] => [
    op.block(),
    op.loop(),
    ...exitWhen,
    op.brIf(1),
    ...body,
    ...pointers.flatMap((pointer) => advance(pointer, width * 4)),
    ...advance(remaining, -width),
    op.br(0),
    op.end(),
    op.end(),
  ];
  return [
    ...loop(4, vector, [op.localGet(remaining), op.i32Const(4), op.i32LtU()]),
    ...loop(1, scalar, [op.localGet(remaining), op.i32Eqz()]),
  ];
}

/** The two float64 halves of the float32x4 in `local`: pushes the low pair widened, or the high pair. */
function widened(local: number, high: boolean): number[][] {
  return high
    ? [op.localGet(local), op.localGet(local), op.i8x16Shuffle(highLanes), op.f64x2PromoteLowF32x4()]
    : [op.localGet(local), op.f64x2PromoteLowF32x4()];
}

/** Sum of the lanes of two float64x2 accumulators plus a scalar one, left on the stack. */
function horizontalSum(low: number, high: number, scalar: number): number[][] {
  return [
    op.localGet(low),
    op.f64x2ExtractLane(0),
    op.localGet(low),
    op.f64x2ExtractLane(1),
    op.f64Add(),
    op.localGet(high),
    op.f64x2ExtractLane(0),
    op.localGet(high),
    op.f64x2ExtractLane(1),
    op.f64Add(),
    op.f64Add(),
    op.localGet(scalar),
    op.f64Add(),
  ];
}

function planeSum(): WasmFunction {
  const s = new Signature([
    ['x', i32],
    ['count', i32],
  ]);
  const value = s.local('value', v128);
  const low = s.local('low', v128);
  const high = s.local('high', v128);
  const tail = s.local('tail', f64);
  const x = s.get('x');
  const accumulate = (target: number, isHigh: boolean) => [
    op.localGet(target),
    ...widened(value, isHigh),
    op.f64x2Add(),
    op.localSet(target),
  ];
  const body = planeLoop(
    [x],
    s.get('count'),
    [op.localGet(x), op.v128Load(), op.localSet(value), ...accumulate(low, false), ...accumulate(high, true)],
    [op.localGet(tail), op.localGet(x), op.f32Load(), op.f64PromoteF32(), op.f64Add(), op.localSet(tail)],
  );
  return {
    exportName: 'planeSum',
    params: s.params,
    results: [f64],
    locals: s.locals,
    body: [...body, ...horizontalSum(low, high, tail)],
  };
}

function planeSquaredDeviation(): WasmFunction {
  // (x - mean)^2 needs the deviation twice: computed into a local first.
  const s = new Signature([
    ['x', i32],
    ['count', i32],
    ['mean', f64],
  ]);
  const value = s.local('value', v128);
  const low = s.local('low', v128);
  const high = s.local('high', v128);
  const tail = s.local('tail', f64);
  const deviation = s.local('deviation', v128);
  const scalarDeviation = s.local('scalarDeviation', f64);
  const [x, mean] = [s.get('x'), s.get('mean')];
  const accumulate = (target: number, isHigh: boolean) => [
    ...widened(value, isHigh),
    op.localGet(mean),
    op.f64x2Splat(),
    op.f64x2Sub(),
    op.localTee(deviation),
    op.localGet(deviation),
    op.f64x2Mul(),
    op.localGet(target),
    op.f64x2Add(),
    op.localSet(target),
  ];
  const body = planeLoop(
    [x],
    s.get('count'),
    [op.localGet(x), op.v128Load(), op.localSet(value), ...accumulate(low, false), ...accumulate(high, true)],
    [
      op.localGet(x),
      op.f32Load(),
      op.f64PromoteF32(),
      op.localGet(mean),
      op.f64Sub(),
      op.localTee(scalarDeviation),
      op.localGet(scalarDeviation),
      op.f64Mul(),
      op.localGet(tail),
      op.f64Add(),
      op.localSet(tail),
    ],
  );
  return {
    exportName: 'planeSquaredDeviation',
    params: s.params,
    results: [f64],
    locals: s.locals,
    body: [...body, ...horizontalSum(low, high, tail)],
  };
}

/** Stores float32(f(low pair)), float32(f(high pair)) as one float32x4 at `out`. */
function storeNarrowed(out: number, lowValue: number[][], highValue: number[][]): number[][] {
  return [
    op.localGet(out),
    ...lowValue,
    op.f32x4DemoteF64x2Zero(),
    ...highValue,
    op.f32x4DemoteF64x2Zero(),
    op.i8x16Shuffle(lowHalves),
    op.v128Store(),
  ];
}

function planeAffine(): WasmFunction {
  const s = new Signature([
    ['x', i32],
    ['out', i32],
    ['count', i32],
    ['scale', f64],
    ['shift', f64],
  ]);
  const value = s.local('value', v128);
  const [x, out, scale, shift] = [s.get('x'), s.get('out'), s.get('scale'), s.get('shift')];
  const affine = (isHigh: boolean) => [
    ...widened(value, isHigh),
    op.localGet(scale),
    op.f64x2Splat(),
    op.f64x2Mul(),
    op.localGet(shift),
    op.f64x2Splat(),
    op.f64x2Add(),
  ];
  return {
    exportName: 'planeAffine',
    params: s.params,
    results: [],
    locals: s.locals,
    body: planeLoop(
      [x, out],
      s.get('count'),
      [op.localGet(x), op.v128Load(), op.localSet(value), ...storeNarrowed(out, affine(false), affine(true))],
      [
        op.localGet(out),
        op.localGet(x),
        op.f32Load(),
        op.f64PromoteF32(),
        op.localGet(scale),
        op.f64Mul(),
        op.localGet(shift),
        op.f64Add(),
        op.f32DemoteF64(),
        op.f32Store(),
      ],
    ),
  };
}

function planeGradientSums(): WasmFunction {
  const s = new Signature([
    ['g', i32],
    ['x', i32],
    ['count', i32],
    ['mean', f64],
    ['result', i32],
  ]);
  const gValue = s.local('gValue', v128);
  const xValue = s.local('xValue', v128);
  const gLow = s.local('gLow', v128);
  const gHigh = s.local('gHigh', v128);
  const gxLow = s.local('gxLow', v128);
  const gxHigh = s.local('gxHigh', v128);
  const gTail = s.local('gTail', f64);
  const gxTail = s.local('gxTail', f64);
  const scalarG = s.local('scalarG', f64);
  const [g, x, mean] = [s.get('g'), s.get('x'), s.get('mean')];
  const accumulate = (isHigh: boolean) => [
    op.localGet(isHigh ? gHigh : gLow),
    ...widened(gValue, isHigh),
    op.f64x2Add(),
    op.localSet(isHigh ? gHigh : gLow),
    op.localGet(isHigh ? gxHigh : gxLow),
    ...widened(gValue, isHigh),
    ...widened(xValue, isHigh),
    op.localGet(mean),
    op.f64x2Splat(),
    op.f64x2Sub(),
    op.f64x2Mul(),
    op.f64x2Add(),
    op.localSet(isHigh ? gxHigh : gxLow),
  ];
  const loop = planeLoop(
    [g, x],
    s.get('count'),
    [
      op.localGet(g),
      op.v128Load(),
      op.localSet(gValue),
      op.localGet(x),
      op.v128Load(),
      op.localSet(xValue),
      ...accumulate(false),
      ...accumulate(true),
    ],
    [
      op.localGet(g),
      op.f32Load(),
      op.f64PromoteF32(),
      op.localTee(scalarG),
      op.localGet(gTail),
      op.f64Add(),
      op.localSet(gTail),
      op.localGet(scalarG),
      op.localGet(x),
      op.f32Load(),
      op.f64PromoteF32(),
      op.localGet(mean),
      op.f64Sub(),
      op.f64Mul(),
      op.localGet(gxTail),
      op.f64Add(),
      op.localSet(gxTail),
    ],
  );
  const result = s.get('result');
  return {
    exportName: 'planeGradientSums',
    params: s.params,
    results: [],
    locals: s.locals,
    body: [
      ...loop,
      op.localGet(result),
      ...horizontalSum(gLow, gHigh, gTail),
      op.f64Store(0),
      op.localGet(result),
      ...horizontalSum(gxLow, gxHigh, gxTail),
      op.f64Store(8),
    ],
  };
}

function planeNormGradient(): WasmFunction {
  const s = new Signature([
    ['g', i32],
    ['x', i32],
    ['out', i32],
    ['count', i32],
    ['scale', f64],
    ['meanG', f64],
    ['mean', f64],
    ['coefficient', f64],
  ]);
  const gValue = s.local('gValue', v128);
  const xValue = s.local('xValue', v128);
  const [g, x, out] = [s.get('g'), s.get('x'), s.get('out')];
  const [scale, meanG, mean, coefficient] = [s.get('scale'), s.get('meanG'), s.get('mean'), s.get('coefficient')];
  const splat = (local: number) => [op.localGet(local), op.f64x2Splat()];
  // scale * (g - meanG - (x - mean) * coefficient), in the TypeScript loop's order.
  const gradient = (isHigh: boolean) => [
    ...splat(scale),
    ...widened(gValue, isHigh),
    ...splat(meanG),
    op.f64x2Sub(),
    ...widened(xValue, isHigh),
    ...splat(mean),
    op.f64x2Sub(),
    ...splat(coefficient),
    op.f64x2Mul(),
    op.f64x2Sub(),
    op.f64x2Mul(),
  ];
  return {
    exportName: 'planeNormGradient',
    params: s.params,
    results: [],
    locals: s.locals,
    body: planeLoop(
      [g, x, out],
      s.get('count'),
      [
        op.localGet(g),
        op.v128Load(),
        op.localSet(gValue),
        op.localGet(x),
        op.v128Load(),
        op.localSet(xValue),
        ...storeNarrowed(out, gradient(false), gradient(true)),
      ],
      [
        op.localGet(out),
        op.localGet(scale),
        op.localGet(g),
        op.f32Load(),
        op.f64PromoteF32(),
        op.localGet(meanG),
        op.f64Sub(),
        op.localGet(x),
        op.f32Load(),
        op.f64PromoteF32(),
        op.localGet(mean),
        op.f64Sub(),
        op.localGet(coefficient),
        op.f64Mul(),
        op.f64Sub(),
        op.f64Mul(),
        op.f32DemoteF64(),
        op.f32Store(),
      ],
    ),
  };
}

function planePrelu(): WasmFunction {
  const s = new Signature([
    ['x', i32],
    ['out', i32],
    ['count', i32],
    ['slope', f32],
  ]);
  const value = s.local('value', v128);
  const scalarValue = s.local('scalarValue', f32);
  const [x, out, slope] = [s.get('x'), s.get('out'), s.get('slope')];
  return {
    exportName: 'planePrelu',
    params: s.params,
    results: [],
    locals: s.locals,
    body: planeLoop(
      [x, out],
      s.get('count'),
      [
        op.localGet(out),
        op.localGet(x),
        op.v128Load(),
        op.localTee(value),
        op.localGet(value),
        op.localGet(slope),
        op.f32x4Splat(),
        op.f32x4Mul(),
        op.localGet(value),
        op.v128Zero(),
        op.f32x4Gt(),
        op.v128Bitselect(),
        op.v128Store(),
      ],
      [
        op.localGet(out),
        op.localGet(x),
        op.f32Load(),
        op.localTee(scalarValue),
        op.localGet(scalarValue),
        op.localGet(slope),
        op.f32Mul(),
        op.localGet(scalarValue),
        op.f32Const(0),
        op.f32Gt(),
        op.select(),
        op.f32Store(),
      ],
    ),
  };
}

function planePreluGradient(): WasmFunction {
  const s = new Signature([
    ['g', i32],
    ['x', i32],
    ['out', i32],
    ['count', i32],
    ['slope', f32],
  ]);
  const gValue = s.local('gValue', v128);
  const positive = s.local('positive', v128);
  const gKept = s.local('gKept', v128);
  const xKept = s.local('xKept', v128);
  const low = s.local('low', v128);
  const high = s.local('high', v128);
  const tail = s.local('tail', f64);
  const scalarG = s.local('scalarG', f32);
  const scalarX = s.local('scalarX', f32);
  const [g, x, out, slope] = [s.get('g'), s.get('x'), s.get('out'), s.get('slope')];
  // g x summed in float64 where x is not > 0: both factors zeroed elsewhere (0 * 0, never 0 * inf).
  const keepNotPositive = (source: number[][], target: number) => [
    op.v128Zero(),
    ...source,
    op.localGet(positive),
    op.v128Bitselect(),
    op.localSet(target),
  ];
  const accumulate = (target: number, isHigh: boolean) => [
    op.localGet(target),
    ...widened(gKept, isHigh),
    ...widened(xKept, isHigh),
    op.f64x2Mul(),
    op.f64x2Add(),
    op.localSet(target),
  ];
  const loop = planeLoop(
    [g, x, out],
    s.get('count'),
    [
      op.localGet(g),
      op.v128Load(),
      op.localSet(gValue),
      op.localGet(x),
      op.v128Load(),
      op.v128Zero(),
      op.f32x4Gt(),
      op.localSet(positive),
      op.localGet(out),
      op.localGet(gValue),
      op.localGet(gValue),
      op.localGet(slope),
      op.f32x4Splat(),
      op.f32x4Mul(),
      op.localGet(positive),
      op.v128Bitselect(),
      op.v128Store(),
      ...keepNotPositive([op.localGet(gValue)], gKept),
      ...keepNotPositive([op.localGet(x), op.v128Load()], xKept),
      ...accumulate(low, false),
      ...accumulate(high, true),
    ],
    [
      op.localGet(g),
      op.f32Load(),
      op.localSet(scalarG),
      op.localGet(x),
      op.f32Load(),
      op.localSet(scalarX),
      op.localGet(out),
      op.localGet(scalarG),
      op.localGet(scalarG),
      op.localGet(slope),
      op.f32Mul(),
      op.localGet(scalarX),
      op.f32Const(0),
      op.f32Gt(),
      op.select(),
      op.f32Store(),
      // tail += x > 0 ? 0 : g x
      op.localGet(tail),
      op.f64Const(0),
      op.localGet(scalarG),
      op.f64PromoteF32(),
      op.localGet(scalarX),
      op.f64PromoteF32(),
      op.f64Mul(),
      op.localGet(scalarX),
      op.f32Const(0),
      op.f32Gt(),
      op.select(),
      op.f64Add(),
      op.localSet(tail),
    ],
  );
  return {
    exportName: 'planePreluGradient',
    params: s.params,
    results: [f64],
    locals: s.locals,
    body: [...loop, ...horizontalSum(low, high, tail)],
  };
}

/** The module's bytes: memory (initially `initialPages` pages of 64 KiB, growable) and the plane loops. */
export function planeKernelsModuleBytes(initialPages: number): Uint8Array<ArrayBuffer> {
  return writeModule(
    [
      planeSum(),
      planeSquaredDeviation(),
      planeAffine(),
      planeGradientSums(),
      planeNormGradient(),
      planePrelu(),
      planePreluGradient(),
    ],
    initialPages,
  );
}
