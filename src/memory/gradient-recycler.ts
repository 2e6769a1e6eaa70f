import { type GradientObserver, observeGradients } from '../tensor/autograd.js';
import type { Tensor } from '../tensor/tensor.js';
import { allocationMark, insideReuseScope, keep, recycleIfAllocatedSince } from './reuse-scope.js';

/**
 * Hands gradients back to the reuse scope's pool as soon as backward has finished with them, so
 * that later gradients of the same backward pass draw the same buffers.
 *
 * A gradient is finished with when no pending gradient shares its buffer (ops pass gradients on
 * unchanged or as views: add returns its incoming gradient for both inputs, reshape a view of it),
 * backward did not store it on a leaf, and this backward pass allocated it. The last rule keeps
 * anything made before backward started (activations, a caller's seed gradient) out of reach.
 */
export class GradientRecycler implements GradientObserver {
  private readonly holders = new Map<ArrayBufferLike, number>();
  private readonly mark = allocationMark();

  /** A recycler for this backward pass, or null outside every reuse scope (nothing to hand back). */
  static forBackward(): GradientRecycler | null {
    return insideReuseScope() ? new GradientRecycler() : null;
  }

  /** A pending gradient now holds its buffer. */
  pending(gradient: Tensor): void {
    const buffer = gradient.data.buffer;
    this.holders.set(buffer, (this.holders.get(buffer) ?? 0) + 1);
  }

  /** A pending gradient was consumed; its buffer is recycled if nothing else holds it. */
  consumed(gradient: Tensor): void {
    const buffer = gradient.data.buffer;
    const count = (this.holders.get(buffer) ?? 0) - 1;
    if (count > 0) {
      this.holders.set(buffer, count);
      return;
    }
    this.holders.delete(buffer);
    recycleIfAllocatedSince(gradient.data, this.mark);
  }

  /** A gradient that was never pending (a result nobody needs, or one converted to another dtype). */
  unused(gradient: Tensor): void {
    if (gradient.released || this.holders.has(gradient.data.buffer)) return;
    recycleIfAllocatedSince(gradient.data, this.mark);
  }

  /** A gradient stored on a leaf: it outlives backward and every reuse scope. */
  stored(gradient: Tensor): void {
    keep(gradient);
  }
}

// Backward asks for a recycler at its start; outside every reuse scope there is none.
observeGradients(GradientRecycler.forBackward);
