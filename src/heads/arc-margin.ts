import { gt, mul, sub, where } from '../ops/index.js';
import { record } from '../tensor/autograd.js';
import { allocate } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * sin(theta) = sqrt(clamp(1 - cos^2, 0, 1)) elementwise, as in the reference recipe, as one op with a finite
 * derivative everywhere. d sin / d cos = -cos / sin where sin > 0, and 0 where sin = 0 (|cos| = 1).
 *
 * Why 0 at the boundary: the true derivative is infinite there (PyTorch's sqrt backward returns inf,
 * and where() multiplies it by 0 even on the unselected branch, giving NaN). The quantity that matters,
 * d phi / d embedding = phi'(cos) * d cos / d x, is a cone tip at parallel vectors (phi depends on the
 * angle, and the angle is not differentiable at 0), and d cos / d x = (w^ - cos x^) / |x| is 0 there.
 * Taking the sqrt's contribution as 0 picks the zero (minimum-norm) element of that cone's
 * generalised gradient, so ArcFace's margin term passes phi'(1) = cos(m) and the embedding gets no
 * gradient from an exactly parallel class, instead of NaN. At cos = -1 ArcFace uses its fallback
 * branch, whose derivative (1) involves no sine at all.
 */
export function marginSine(cosine: Tensor): Tensor {
  const c = cosine.data;
  const out = allocate(cosine.dtype, c.length);
  for (let i = 0; i < c.length; i++) out[i] = Math.sqrt(Math.min(1, Math.max(0, 1 - c[i] * c[i])));
  return record('marginSine', [cosine], new Tensor(out, cosine.shape), (g) => {
    const gd = g.data;
    const grad = allocate(g.dtype, c.length);
    for (let i = 0; i < c.length; i++) grad[i] = out[i] > 0 ? (-gd[i] * c[i]) / out[i] : 0;
    return [new Tensor(grad, cosine.shape)];
  });
}

/** Options of {@link arcFaceMargin}. */
export interface ArcMarginOptions {
  /** Angular margin m in radians, 0 <= m < pi. */
  m: number;
  /** insightface's easy margin: apply the margin only where cos > 0 (default false). */
  easyMargin?: boolean;
}

/**
 * ArcFace's target cosine phi(cos) = cos(theta + m) = cos cos(m) - sin sin(m) (Deng et al. 2019), with
 * the reference recipe's fallback: where cos <= cos(pi - m) (strictly: at cos(pi - m) itself too), theta + m would
 * pass pi, and phi = cos - m sin(pi - m) keeps the logit decreasing in theta. With easyMargin,
 * insightface's variant: phi where cos > 0, else cos. The comparison thresholds are rounded to the
 * cosine's dtype, as PyTorch does with a Python scalar. Finite gradients everywhere (see marginSine).
 */
export function arcFaceMargin(cosine: Tensor, options: ArcMarginOptions): Tensor {
  const { m, easyMargin = false } = options;
  const phi = sub(mul(cosine, Math.cos(m)), mul(marginSine(cosine), Math.sin(m)));
  if (easyMargin) return where(gt(cosine, 0), phi, cosine);
  const threshold = Math.cos(Math.PI - m);
  const fallback = sub(cosine, Math.sin(Math.PI - m) * m);
  return where(gt(cosine, threshold), phi, fallback);
}
