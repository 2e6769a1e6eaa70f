import type { Conv2dGeometry } from '../../src/backend/index.js';

/**
 * The problems every benchmark runs, defined once so arcgrad, TensorFlow.js and PyTorch time the
 * same work: square matmuls for the CPU/GPU crossover, the matmuls of FaceMobileNet's linear layer
 * and ArcFace head (forward and both gradients), and every distinct convolution of FaceMobileNet
 * at input 128 and batch 16.
 */

/** One matrix product C[m, n] = op(A) @ op(B) with inner size k. */
export interface MatmulCase {
  kind: 'matmul';
  /** Stable identifier used in JSON rows and by the peers. */
  id: string;
  /** Where the shape comes from (e.g. 'square', 'linear dW'). */
  label: string;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
}

/** Which convolution kernel a row times. */
export type ConvPass = 'forward' | 'gradInput' | 'gradWeight';

/** One convolution kernel at one FaceMobileNet layer geometry. */
export interface ConvCase {
  kind: 'conv2d';
  id: string;
  /** The FaceMobileNet layers with this geometry (e.g. 'conv4.*.1x1 expand'). */
  label: string;
  pass: ConvPass;
  geometry: Conv2dGeometry;
}

/** A benchmarked kernel problem. */
export type KernelCase = MatmulCase | ConvCase;

/** Square matmul sides for the crossover chart. */
export const squareSides = [64, 128, 256, 512, 1024] as const;

function matmulCase(
  label: string,
  m: number,
  k: number,
  n: number,
  transposeA = false,
  transposeB = false,
): MatmulCase {
  const ops = `${transposeA ? 'T' : 'N'}${transposeB ? 'T' : 'N'}`;
  return { kind: 'matmul', id: `matmul ${m}x${k}x${n} ${ops}`, label, m, k, n, transposeA, transposeB };
}

/** Square matmuls at every side in {@link squareSides}. */
export function squareMatmulCases(): MatmulCase[] {
  return squareSides.map((side) => matmulCase('square', side, side, side));
}

/**
 * The matmuls of one training step's linear layer (2048 -> 512, no bias) and ArcFace head (512 ->
 * 1000 classes) at batch `batch`: forward, input gradient and weight gradient of each, in the
 * transposition arcgrad's matmul op uses for them.
 */
export function modelMatmulCases(batch = 16, features = 2048, embedding = 512, classes = 1000): MatmulCase[] {
  return [
    matmulCase('linear forward x @ W^T', batch, features, embedding, false, true),
    matmulCase('linear dX = dY @ W', batch, embedding, features),
    matmulCase('linear dW = dY^T @ X', embedding, batch, features, true, false),
    matmulCase('ArcFace cos = x @ W^T', batch, embedding, classes, false, true),
    matmulCase('ArcFace dx = dC @ W', batch, classes, embedding),
    matmulCase('ArcFace dW = dC^T @ x', classes, batch, embedding, true, false),
  ];
}

interface LayerShape {
  label: string;
  inChannels: number;
  outChannels: number;
  side: number;
  kernel: number;
  stride: number;
  padding: number;
  groups: number;
}

/**
 * FaceMobileNet's convolutions at input 128 (see /work/shared/seed/README.md and
 * src/models/face-mobilenet.ts): the stem, conv2, then per DepthWise block a 1x1 expand, a
 * depthwise 3x3 and a 1x1 project; conv9 and the 7x7 depthwise conv10. Repeated residual blocks
 * share one geometry, so each appears once.
 */
function faceMobileNetLayers(): LayerShape[] {
  const layers: LayerShape[] = [
    {
      label: 'conv1 stem 3x3 s2',
      inChannels: 1,
      outChannels: 64,
      side: 128,
      kernel: 3,
      stride: 2,
      padding: 1,
      groups: 1,
    },
    {
      label: 'conv2 depthwise 3x3',
      inChannels: 64,
      outChannels: 64,
      side: 64,
      kernel: 3,
      stride: 1,
      padding: 1,
      groups: 64,
    },
  ];
  const blocks: [string, number, number, number, number, number][] = [
    // [name, in, out, expanded (groups), input side, depthwise stride]
    ['conv3', 64, 64, 128, 64, 2],
    ['conv4.*', 64, 64, 128, 32, 1],
    ['conv5', 64, 128, 256, 32, 2],
    ['conv6.*', 128, 128, 256, 16, 1],
    ['conv7', 128, 128, 512, 16, 2],
    ['conv8.*', 128, 128, 256, 8, 1],
  ];
  for (const [name, inChannels, outChannels, groups, side, stride] of blocks) {
    const outSide = Math.floor((side - 1) / stride) + 1;
    layers.push(
      {
        label: `${name} 1x1 expand`,
        inChannels,
        outChannels: groups,
        side,
        kernel: 1,
        stride: 1,
        padding: 0,
        groups: 1,
      },
      {
        label: `${name} depthwise 3x3 s${stride}`,
        inChannels: groups,
        outChannels: groups,
        side,
        kernel: 3,
        stride,
        padding: 1,
        groups,
      },
      {
        label: `${name} 1x1 project`,
        inChannels: groups,
        outChannels,
        side: outSide,
        kernel: 1,
        stride: 1,
        padding: 0,
        groups: 1,
      },
    );
  }
  layers.push(
    { label: 'conv9 1x1', inChannels: 128, outChannels: 512, side: 8, kernel: 1, stride: 1, padding: 0, groups: 1 },
    {
      label: 'conv10 depthwise 7x7',
      inChannels: 512,
      outChannels: 512,
      side: 8,
      kernel: 7,
      stride: 1,
      padding: 0,
      groups: 512,
    },
  );
  return layers;
}

/** The geometry of one layer at a batch size. */
function geometryOf(layer: LayerShape, batch: number): Conv2dGeometry {
  const outSide = Math.floor((layer.side + 2 * layer.padding - layer.kernel) / layer.stride) + 1;
  return {
    batch,
    inChannels: layer.inChannels,
    inHeight: layer.side,
    inWidth: layer.side,
    outChannels: layer.outChannels,
    kernelHeight: layer.kernel,
    kernelWidth: layer.kernel,
    strideHeight: layer.stride,
    strideWidth: layer.stride,
    paddingHeight: layer.padding,
    paddingWidth: layer.padding,
    groups: layer.groups,
    outHeight: outSide,
    outWidth: outSide,
  };
}

/** Short text of a convolution geometry, e.g. '16x64x64x64 -> 128 k1 s1 p0 g1'. */
export function describeGeometry(g: Conv2dGeometry): string {
  return `${g.batch}x${g.inChannels}x${g.inHeight}x${g.inWidth} -> ${g.outChannels} k${g.kernelHeight} s${g.strideHeight} p${g.paddingHeight} g${g.groups}`;
}

/** Every distinct FaceMobileNet convolution geometry, deduplicated, in network order. */
export function faceMobileNetConvGeometries(batch = 16): { label: string; geometry: Conv2dGeometry }[] {
  const seen = new Map<string, { label: string; geometry: Conv2dGeometry }>();
  for (const layer of faceMobileNetLayers()) {
    const geometry = geometryOf(layer, batch);
    const key = describeGeometry(geometry);
    const existing = seen.get(key);
    if (existing) existing.label += `, ${layer.label}`;
    else seen.set(key, { label: layer.label, geometry });
  }
  return [...seen.values()];
}

/** Forward, input-gradient and weight-gradient cases for the given geometries. */
export function convCases(
  geometries: { label: string; geometry: Conv2dGeometry }[],
  passes: readonly ConvPass[],
): ConvCase[] {
  const cases: ConvCase[] = [];
  for (const { label, geometry } of geometries) {
    for (const pass of passes) {
      cases.push({ kind: 'conv2d', id: `conv2d.${pass} ${describeGeometry(geometry)}`, label, pass, geometry });
    }
  }
  return cases;
}

/** Floating-point operations of a case (2 per multiply-add; the same for all three conv passes). */
export function flopsOf(problem: KernelCase): number {
  if (problem.kind === 'matmul') return 2 * problem.m * problem.k * problem.n;
  const g = problem.geometry;
  return (
    2 * g.batch * g.outChannels * g.outHeight * g.outWidth * (g.inChannels / g.groups) * g.kernelHeight * g.kernelWidth
  );
}

/** Short shape text for tables: 'm x k x n' for matmul, the geometry for convs. */
export function shapeOf(problem: KernelCase): string {
  if (problem.kind === 'matmul') {
    return `${problem.m}x${problem.k}x${problem.n}${problem.transposeA ? ' A^T' : ''}${problem.transposeB ? ' B^T' : ''}`;
  }
  return describeGeometry(problem.geometry);
}
