import { type BackwardStep, observeGradients } from '../tensor/autograd.js';
import { allocationMark, insideReuseScope, keep, recycleIfAllocatedSince } from './reuse-scope.js';

/**
 * Hands gradients back to the reuse scope's pool as soon as backward has finished with them, so
 * that later gradients of the same backward pass draw the same buffers.
 *
 * A finished gradient is recycled when no pending gradient and no stored leaf gradient shares its
 * buffer (ops pass gradients on unchanged or as views: add returns its incoming gradient for both
 * inputs, reshape a view of it) and this backward pass allocated it. The last rule keeps anything
 * made before backward started (activations, a caller's seed gradient) out of reach.
 */
export class GradientRecycler {
  private readonly storedBuffers = new Set<ArrayBufferLike>();
  private readonly mark = allocationMark();

  /** A recycler's step watcher for this backward pass, or null outside every reuse scope (nothing to hand back). */
  static forBackward(): ((step: BackwardStep) => void) | null {
    if (!insideReuseScope()) return null;
    const recycler = new GradientRecycler();
    return (step) => recycler.step(step);
  }

  private step({ finished, stored, pending }: BackwardStep): void {
    if (stored !== null) {
      // A leaf's gradient outlives backward and every reuse scope.
      keep(stored);
      this.storedBuffers.add(stored.data.buffer);
    }
    if (finished.length === 0) return;
    const pendingBuffers = new Set<ArrayBufferLike>();
    for (const gradient of pending) pendingBuffers.add(gradient.data.buffer);
    for (const gradient of finished) {
      if (gradient.released) continue;
      const buffer = gradient.data.buffer;
      if (pendingBuffers.has(buffer) || this.storedBuffers.has(buffer)) continue;
      recycleIfAllocatedSince(gradient.data, this.mark);
    }
  }
}

// Backward asks for a watcher at its start; outside every reuse scope there is none.
observeGradients(GradientRecycler.forBackward);
