import { environmentVariable } from '../environment.js';
import { simdGemmModuleBytes } from './gemm-module.js';
import { instantiateSimdKernels, type SimdKernels } from './simd-gemm.js';

/**
 * Whether the float32 GEMMs run on WebAssembly SIMD (simd-gemm.ts) or on the scalar TypeScript
 * micro-kernel (gemm.ts), which stays the readable reference. On by default where the runtime
 * validates the module (Node 16.4+ does); ARCGRAD_SIMD=0 or setCpuSimd(false) turns it off.
 */

/** Module size at start: packed A and B blocks and a 64-row C block fit in 16 pages; it grows on demand. */
const initialPages = 16;

let moduleBytes: Uint8Array<ArrayBuffer> | null | undefined;
let unavailableReason: string | null = null;
let enabled: boolean | null = null;
let mainThreadKernels: SimdKernels | null = null;

function enabledFromEnvironment(): boolean {
  const given = environmentVariable('ARCGRAD_SIMD') ?? '';
  const raw = given.trim().toLowerCase();
  if (raw === '' || raw === '1' || raw === 'on' || raw === 'true') return true;
  if (raw === '0' || raw === 'off' || raw === 'false') return false;
  throw new Error(`ARCGRAD_SIMD: expected 1/on/true or 0/off/false, got '${given}'`);
}

/** The SIMD module's bytes, or null (with cpuSimdProblem() saying why) where WebAssembly SIMD is missing. */
export function simdModuleBytes(): Uint8Array<ArrayBuffer> | null {
  if (moduleBytes === undefined) {
    const bytes = simdGemmModuleBytes(initialPages);
    if (typeof WebAssembly === 'object' && WebAssembly.validate(bytes)) moduleBytes = bytes;
    else {
      moduleBytes = null;
      unavailableReason = 'this runtime does not validate WebAssembly SIMD modules';
    }
  }
  return moduleBytes;
}

/** Whether float32 GEMMs (1x1 convolutions, im2col convolutions, matmul) run on WebAssembly SIMD. */
export function getCpuSimd(): boolean {
  if (enabled === null) enabled = enabledFromEnvironment();
  return enabled && simdModuleBytes() !== null;
}

/** Turns the WebAssembly SIMD GEMM on or off; turning it on where it cannot run throws with the reason. */
export function setCpuSimd(on: boolean): void {
  if (typeof on !== 'boolean') throw new Error(`setCpuSimd: expected a boolean, got ${String(on)}`);
  if (on && simdModuleBytes() === null)
    throw new Error(`setCpuSimd: WebAssembly SIMD is unavailable: ${unavailableReason}`);
  enabled = on;
}

/** Why WebAssembly SIMD cannot run here, or null when it can. */
export function cpuSimdProblem(): string | null {
  simdModuleBytes();
  return unavailableReason;
}

/** The calling (main) thread's SIMD kernels while SIMD is on, else null. */
export function mainThreadSimd(): SimdKernels | null {
  if (!getCpuSimd()) return null;
  if (mainThreadKernels === null)
    mainThreadKernels = instantiateSimdKernels(simdModuleBytes() as Uint8Array<ArrayBuffer>);
  return mainThreadKernels;
}
