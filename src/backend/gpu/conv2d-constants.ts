import type { Conv2dGeometry } from '../kernels.js';

/** The geometry as shader constants (names kept short because gpu.js requires `this.constants.X` spelled out). */
export function conv2dConstants(g: Conv2dGeometry): Record<string, number> {
  return {
    N: g.batch,
    C: g.inChannels,
    H: g.inHeight,
    W: g.inWidth,
    O: g.outChannels,
    KH: g.kernelHeight,
    KW: g.kernelWidth,
    SH: g.strideHeight,
    SW: g.strideWidth,
    PH: g.paddingHeight,
    PW: g.paddingWidth,
    CG: g.inChannels / g.groups,
    OG: g.outChannels / g.groups,
    OH: g.outHeight,
    OW: g.outWidth,
  };
}

/** Views of NCHW tensors as [x, y, z] volumes: planes stack on z, so no index passes one dimension. */
export function conv2dVolumes(g: Conv2dGeometry): {
  input: [number, number, number];
  weight: [number, number, number];
  output: [number, number, number];
} {
  const inPerGroup = g.inChannels / g.groups;
  return {
    input: [g.inWidth, g.inHeight, g.batch * g.inChannels],
    weight: [g.kernelWidth, g.kernelHeight, g.outChannels * inPerGroup],
    output: [g.outWidth, g.outHeight, g.batch * g.outChannels],
  };
}
