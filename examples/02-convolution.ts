/**
 * Example 2: one convolution computed three ways (plain loops, im2col x matmul, arcgrad's conv2d),
 * for an ordinary and a depthwise layer. Run: npx tsx examples/02-convolution.ts
 */
import { pathToFileURL } from 'node:url';
import { conv2d, Generator, matmul, randn, Tensor } from 'arcgrad';

type Layer = { x: Tensor; w: Tensor; stride: number; padding: number; groups: number };

/** Sizes (CG, OG: input, output channels per group; K: kernel side) and pixel(n, c, ih, iw), 0 in the padding. */
function geometry({ x, w, stride, padding, groups }: Layer) {
  const [N, C, H, W] = x.shape;
  const [O, CG, K] = w.shape;
  const side = (n: number) => Math.floor((n + 2 * padding - K) / stride) + 1; // torch.nn.Conv2d docs
  const pixel = (n: number, c: number, ih: number, iw: number) =>
    ih >= 0 && ih < H && iw >= 0 && iw < W ? x.data[((n * C + c) * H + ih) * W + iw] : 0;
  return { N, O, CG, K, OG: O / groups, OH: side(H), OW: side(W), s: stride, p: padding, groups, pixel };
}

/** Row-major: coordinate d of flat index i is floor(i / stride_d) mod shape[d]; stride_d = product of later sizes. */
function unravel(i: number, shape: readonly number[]): number[] {
  return shape.map((size, d) => Math.floor(i / shape.slice(d + 1).reduce((a, b) => a * b, 1)) % size);
}

/** The definition: out[n,o,oh,ow] = sum over c (o's group), kh, kw of x[n, c, oh s - p + kh, ow s - p + kw] w[o,c,kh,kw]. */
function byLoops(layer: Layer): Float64Array {
  const { N, CG, K, O, OG, OH, OW, s, p, pixel } = geometry(layer);
  return new Float64Array(N * O * OH * OW).map((_, i) => {
    const [n, o, oh, ow] = unravel(i, [N, O, OH, OW]);
    let sum = 0;
    for (let j = 0; j < CG * K * K; j++) {
      const [c, kh, kw] = unravel(j, [CG, K, K]);
      sum += pixel(n, Math.floor(o / OG) * CG + c, oh * s - p + kh, ow * s - p + kw) * layer.w.data[o * CG * K * K + j];
    }
    return sum;
  });
}

/** im2col: each output position's receptive field becomes a column; a group is one matmul [OG, CG K K] x [CG K K, OH OW]. */
function byIm2col(layer: Layer): Float64Array {
  const { N, CG, K, O, OG, OH, OW, s, p, groups, pixel } = geometry(layer);
  const out = new Float64Array(N * O * OH * OW);
  for (let ng = 0; ng < N * groups; ng++) {
    const [n, g] = unravel(ng, [N, groups]);
    const columns = new Float64Array(CG * K * K * OH * OW).map((_, i) => {
      const [c, kh, kw, oh, ow] = unravel(i, [CG, K, K, OH, OW]);
      return pixel(n, g * CG + c, oh * s - p + kh, ow * s - p + kw);
    });
    const weights = new Tensor(layer.w.data.slice(g * OG * CG * K * K, (g + 1) * OG * CG * K * K), [OG, CG * K * K]);
    out.set(matmul(weights, new Tensor(columns, [CG * K * K, OH * OW])).data, (n * O + g * OG) * OH * OW);
  }
  return out;
}

/** The largest |loops - im2col| and |loops - arcgrad's conv2d| over the output. */
function compare(layer: Layer) {
  const [loops, im2col, arcgrad] = [byLoops(layer), byIm2col(layer), conv2d(layer.x, layer.w, layer)];
  const gap = (other: ArrayLike<number>) => loops.reduce((m, v, i) => Math.max(m, Math.abs(v - other[i])), 0);
  return { shape: arcgrad.shape, loopsVsIm2col: gap(im2col), loopsVsArcgrad: gap(arcgrad.data) };
}

/** Runs both layers (float64, seeded); returns each one's output shape and the differences between the formulations. */
export function main({ batch = 2, channels = 4, outChannels = 6, side = 9 } = {}) {
  const random = { dtype: 'float64', generator: new Generator(0) } as const;
  const x = randn([batch, channels, side, side], random);
  const ordinary = compare({ x, w: randn([outChannels, channels, 3, 3], random), stride: 2, padding: 1, groups: 1 });
  const depthwise = compare({ x, w: randn([channels, 1, 3, 3], random), stride: 1, padding: 1, groups: channels });
  return { ordinary, depthwise };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [name, r] of Object.entries(main())) {
    console.log(
      `${name} [${r.shape}]: max |loops - im2col x matmul| ${r.loopsVsIm2col}, |loops - conv2d| ${r.loopsVsArcgrad}`,
    );
  }
  console.log(`Depthwise (groups = channels): im2col makes [1, 9] x [9, H*W] products, too thin for a fast GEMM, so arcgrad
runs depthwise layers as plane loops (src/backend/cpu/conv2d-planewise.ts), others as im2col + GEMM (im2col.ts, gemm.ts).`);
}
