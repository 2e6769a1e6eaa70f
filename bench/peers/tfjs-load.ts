import { register } from 'node:module';

/** TensorFlow.js's core module, as the peers use it. */
export type Tfjs = typeof import('@tensorflow/tfjs-core');

/** The TensorFlow.js backends this run uses, and what to know about them. */
export interface TfjsPeers {
  tf: Tfjs;
  /** Loaded peer names: 'tfjs-cpu', 'tfjs-wasm'. */
  available: string[];
  notices: string[];
  /** Kernel names the WASM backend lacks among those FaceMobileNet's training step needs. */
  wasmMissingKernels: string[];
  /** Makes a peer the active TensorFlow.js backend. */
  use(peer: string): Promise<void>;
}

const backendNames: Record<string, string> = { 'tfjs-cpu': 'cpu', 'tfjs-wasm': 'wasm' };

/** Kernels a FaceMobileNet training step calls (forward and stock gradients). */
const trainingKernels = [
  'Conv2D',
  'Conv2DBackpropInput',
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNative',
  'DepthwiseConv2dNativeBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'BatchMatMul',
  'Prelu',
];

/**
 * Loads TensorFlow.js core, its CPU and WASM backends and its gradient registrations. The
 * gradients ship only as extensionless ESM, so a resolution hook is registered first (see
 * tfjs-extensionless-hooks.mjs). The WASM backend runs single-threaded in Node here: its threaded
 * build needs cross-origin-isolated workers.
 */
export async function loadTfjsPeers(wanted: readonly string[]): Promise<TfjsPeers> {
  register('./tfjs-extensionless-hooks.mjs', import.meta.url);
  const tf: Tfjs = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  const notices: string[] = [];
  const available: string[] = [];
  if (wanted.includes('tfjs-cpu')) {
    await import('@tensorflow/tfjs-backend-cpu');
    if (await tf.setBackend('cpu')) available.push('tfjs-cpu');
    else notices.push('tfjs-cpu: the CPU backend failed to initialise; not run');
  }
  let wasmMissingKernels: string[] = [];
  if (wanted.includes('tfjs-wasm')) {
    await import('@tensorflow/tfjs-backend-wasm');
    if (await tf.setBackend('wasm')) {
      available.push('tfjs-wasm');
      const registered = new Set(tf.getKernelsForBackend('wasm').map((kernel) => kernel.kernelName));
      wasmMissingKernels = trainingKernels.filter((name) => !registered.has(name));
      notices.push(
        `tfjs-wasm ${tf.version_core}: SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'yes' : 'no (1 thread)'}; ` +
          `no WASM kernels for ${wasmMissingKernels.join(', ')}`,
      );
    } else {
      notices.push('tfjs-wasm: the WASM backend failed to initialise; not run');
    }
  }
  if (available.includes('tfjs-cpu')) notices.push(`tfjs-cpu ${tf.version_core}: plain JavaScript kernels, 1 thread`);
  return {
    tf,
    available,
    notices,
    wasmMissingKernels,
    async use(peer: string) {
      const name = backendNames[peer];
      if (!name || !(await tf.setBackend(name))) throw new Error(`tfjs peer '${peer}' is not available`);
    },
  };
}
