import { getCpuSimd } from '../simd/simd-switch.js';
import type { PlaneLoopKind } from './plane-loop-tasks.js';
import { runTask } from './thread-pool.js';

/** Operands of `runPlaneLoop`; see PlaneLoopArgs in plane-loop-tasks.ts for what each kind reads. */
export interface PlaneLoopOperands {
  a: Float32Array;
  b?: Float32Array;
  out?: Float32Array;
  results?: Float64Array;
  first?: Float64Array;
  second?: Float64Array;
  third?: Float64Array;
  fourth?: Float64Array;
}

const noFloat32 = new Float32Array(0);
const noFloat64 = new Float64Array(0);

/**
 * Whether batchNorm and prelu run their float32 plane loops on WebAssembly SIMD over the CPU
 * threads (true while SIMD is on, see setCpuSimd); otherwise they run their TypeScript loops.
 */
export function simdPlaneLoopsAvailable(): boolean {
  return getCpuSimd();
}

/**
 * Runs one SIMD plane loop over every NCHW plane of `operands.a` (planes of `inner` elements,
 * channel = plane % channels), split across the CPU thread pool by planes when the operands live
 * on shared memory (inside BufferPool.run).
 */
export function runPlaneLoop(kind: PlaneLoopKind, inner: number, channels: number, operands: PlaneLoopOperands): void {
  const planes = inner === 0 ? 0 : operands.a.length / inner;
  if (planes === 0) return;
  const args = {
    kind,
    inner,
    channels,
    a: operands.a,
    b: operands.b ?? noFloat32,
    out: operands.out ?? noFloat32,
    results: operands.results ?? noFloat64,
    first: operands.first ?? noFloat64,
    second: operands.second ?? noFloat64,
    third: operands.third ?? noFloat64,
    fourth: operands.fourth ?? noFloat64,
  };
  // Storage outside a BufferPool scope is private memory: the workers would need it copied to
  // shared scratch and back, which costs about what the loop saves, so it stays on this thread.
  const shared = operands.a.buffer instanceof SharedArrayBuffer;
  runTask('simdPlaneLoops', args, ['out', 'results'], planes, shared ? inner : 0);
}
