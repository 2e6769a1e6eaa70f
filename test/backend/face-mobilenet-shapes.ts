import type { Conv2dGeometry } from '../../src/backend/kernels.js';
import { convGeometry } from './kernel-problems.js';

/**
 * Every distinct convolution FaceMobileNet runs at its 128 x 128 input (from the reference recipe's
 * network description, /work/shared/seed/README.md): conv1, the depthwise conv2, the expand / depthwise /
 * project triples of each DepthWise block at each resolution, conv9 and the 7x7 depthwise conv10.
 */
export function faceMobileNetConvs(batch: number, side = 128): { name: string; geometry: Conv2dGeometry }[] {
  const s2 = side / 2;
  const s4 = side / 4;
  const s8 = side / 8;
  const s16 = side / 16;
  const c = (name: string, cin: number, size: number, cout: number, k: number, s: number, p: number, g: number) => ({
    name,
    geometry: convGeometry(batch, cin, size, size, cout, k, s, p, g),
  });
  return [
    c('conv1 3x3 s2 1->64', 1, side, 64, 3, 2, 1, 1),
    c('conv2 depthwise 3x3 64', 64, s2, 64, 3, 1, 1, 64),
    c('conv3 expand 1x1 64->128', 64, s2, 128, 1, 1, 0, 1),
    c('conv3 depthwise 3x3 s2 128', 128, s2, 128, 3, 2, 1, 128),
    c('conv3 project 1x1 128->64', 128, s4, 64, 1, 1, 0, 1),
    c('conv4 expand 1x1 64->128', 64, s4, 128, 1, 1, 0, 1),
    c('conv4 depthwise 3x3 128', 128, s4, 128, 3, 1, 1, 128),
    c('conv5 expand 1x1 64->256', 64, s4, 256, 1, 1, 0, 1),
    c('conv5 depthwise 3x3 s2 256', 256, s4, 256, 3, 2, 1, 256),
    c('conv5 project 1x1 256->128', 256, s8, 128, 1, 1, 0, 1),
    c('conv6 expand 1x1 128->256', 128, s8, 256, 1, 1, 0, 1),
    c('conv6 depthwise 3x3 256', 256, s8, 256, 3, 1, 1, 256),
    c('conv7 expand 1x1 128->512', 128, s8, 512, 1, 1, 0, 1),
    c('conv7 depthwise 3x3 s2 512', 512, s8, 512, 3, 2, 1, 512),
    c('conv7 project 1x1 512->128', 512, s16, 128, 1, 1, 0, 1),
    c('conv8 expand 1x1 128->256', 128, s16, 256, 1, 1, 0, 1),
    c('conv8 depthwise 3x3 256', 256, s16, 256, 3, 1, 1, 256),
    c('conv8 project 1x1 256->128', 256, s16, 128, 1, 1, 0, 1),
    c('conv9 1x1 128->512', 128, s16, 512, 1, 1, 0, 1),
    c('conv10 depthwise 7x7 512', 512, s16, 512, 7, 1, 0, 512),
  ];
}
