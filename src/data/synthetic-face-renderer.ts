import { Generator } from '../tensor/index.js';
import type { FaceIdentity, FaceVariation } from './face-traits.js';
import { type GrayImage, grayImage } from './gray-image.js';

/**
 * Draws one photo of `identity` under `variation` as a `side` x `side` gray image.
 * A per-pixel painter: the image spans [-1, 1]; each pixel is mapped back into head coordinates
 * (undoing shift, roll and scale), then layered: background, shoulders, hair, neck, ears, lit skin,
 * fringe, eyes, brows, nose, mouth, beard, moles, glasses. Shapes have soft edges one pixel wide
 * so small renders stay anti-aliased.
 */
export function renderFace(identity: FaceIdentity, variation: FaceVariation, side: number): GrayImage {
  const id = identity;
  const v = variation;
  const pixels = new Float32Array(side * side);
  const noise = new Generator(v.noiseSeed);
  const cosRoll = Math.cos(v.roll);
  const sinRoll = Math.sin(v.roll);
  const edge = 2 / side / v.scale;
  const fw = id.faceWidth;
  const fh = id.faceHeight;
  // Light from the front, swung sideways by lightAngle and slightly from above.
  const lightX = Math.sin(v.lightAngle);
  const lightY = -0.35;
  const lightZ = Math.cos(v.lightAngle);
  const lightNorm = Math.hypot(lightX, lightY, lightZ);
  // Turning the head moves the features sideways and narrows them; the outline moves less.
  const featureShift = v.yaw * 0.45 * fw;
  const featureSqueeze = 1 - 0.3 * Math.abs(v.yaw);
  const outlineShift = v.yaw * 0.1 * fw;
  const noseTipY = id.eyeY + id.noseLength;
  const hairBottom = id.hairLength * fh;
  const longHair = id.hairLength > 0.25;

  for (let row = 0; row < side; row++) {
    for (let col = 0; col < side; col++) {
      const u = ((col + 0.5) * 2) / side - 1;
      const w = ((row + 0.5) * 2) / side - 1;
      let value = v.background + v.backgroundGradient * u + 0.05 * w;

      const du = u - v.shiftX;
      const dw = w - v.shiftY - 0.1;
      const hx = (cosRoll * du + sinRoll * dw) / v.scale;
      const hy = (-sinRoll * du + cosRoll * dw) / v.scale;
      const ox = hx - outlineShift;

      // Shoulders and clothes, lit flatly.
      const shoulders = cover(ellipseDistance(hx, hy - (fh + 0.7), 1.1, 0.5), edge);
      value = mix(value, v.clothingTone * (v.ambient + 0.5 * v.lightStrength), shoulders);

      // Hair behind the head (long hair falls past the jaw).
      const hairOuter = ellipseDistance(ox, hy + 0.5 * id.hairVolume, fw + id.hairVolume, fh + 0.5 * id.hairVolume);
      let hairBack = cover(hairOuter, edge) * cover(hy - hairBottom, edge);
      if (longHair) {
        const fall = Math.max(cover(Math.abs(ox) - (fw + id.hairVolume), edge) * cover(-hy, edge), 0);
        hairBack = Math.max(hairBack, fall * cover(hy - hairBottom, edge), cover(hairOuter, edge) * cover(-hy, edge));
      }
      const hairValue = id.hairTone * (0.92 + 0.08 * Math.sin(ox * 90 + Math.sin(hy * 7 + id.textureSeed) * 3));

      // Neck and ears are skin, under the face.
      const neck = cover(Math.abs(ox) - 0.42 * fw, edge) * cover(-hy + 0.3 * fh, edge) * cover(hy - (fh + 0.55), edge);
      const earY = hy - (id.eyeY + 0.09 - v.pitch * 0.3 * fh);
      const ears = Math.max(
        cover(ellipseDistance(ox - fw * 0.97 - 0.5 * outlineShift, earY, 0.075, 0.14), edge),
        cover(ellipseDistance(ox + fw * 0.97 - 0.5 * outlineShift, earY, 0.075, 0.14), edge),
      );

      // Face outline: an ellipse whose lower half narrows towards the chin.
      const below = Math.max(0, hy / fh);
      const faceHalfWidth = fw * (1 - id.jaw * below * below);
      const face = cover(ellipseDistance(ox, hy, faceHalfWidth, fh), edge);

      // Lambert shading on an ellipsoid head.
      const nx = clamp(ox / (fw + 0.05), -1, 1);
      const ny = clamp(hy / (fh + 0.05), -1, 1);
      const nz = Math.sqrt(Math.max(0, 1 - nx * nx - ny * ny));
      const lambert = Math.max(0, (nx * lightX + ny * lightY + nz * lightZ) / lightNorm);
      const shade = v.ambient + v.lightStrength * lambert;

      const texture =
        id.textureAmount * (valueNoise(hx * id.textureScale, hy * id.textureScale, id.textureSeed) - 0.5) * 2;
      let skin = id.skinTone + texture;

      // Features are placed in feature coordinates, which follow yaw and pitch.
      const fx = (hx - featureShift) / featureSqueeze;
      const fy = hy - v.pitch * 0.3 * fh;

      skin = paintEyes(skin, fx, fy, id, v, edge);
      skin = paintBrows(skin, fx, fy, id, v, edge);
      skin = paintNose(skin, fx, fy, noseTipY, id, v, edge);
      skin = paintMouth(skin, fx, fy, id, v, edge);
      if (id.beard > 0) {
        const stubble = 0.6 + 0.4 * valueNoise(hx * 60, hy * 60, id.textureSeed + 7);
        const lowerFace = cover(noseTipY + 0.05 - fy, 0.04) * (1 - lipMask(fx, fy, id, v, edge));
        const jawSides = cover(fw * 0.55 - Math.abs(fx), 0.05) * cover(id.eyeY + 0.15 - fy, 0.05);
        skin = mix(skin, id.hairTone * 0.9, id.beard * stubble * Math.max(lowerFace, jawSides));
      }
      for (const [mx, my, radius] of id.moles) {
        skin = mix(skin, skin * 0.45, cover(Math.hypot(fx - mx, fy - my) - radius, edge));
      }

      // Fringe: hair over the forehead above the (parted, temple-curved) hairline.
      const hairline = id.hairline + id.hairParting * fx * 0.3 + 0.45 * fh * (ox / fw) * (ox / fw);
      const fringe = cover(hy - hairline, edge) * cover(hairOuter, edge);

      let head = mix(skin, hairValue, fringe);
      head *= shade;
      const neckValue = id.skinTone * shade * 0.8;
      value = mix(value, hairValue * shade, hairBack);
      value = mix(value, neckValue, neck);
      value = mix(value, id.skinTone * shade * 0.9, ears * (1 - hairBack * cover(hy - hairBottom, edge)));
      value = mix(value, head, face);
      if (id.glasses) value = mix(value, 0.08, glassesMask(fx, fy, id, edge) * Math.max(face, 0.3));

      value = v.contrast * value + v.brightness + v.noise * noise.normal();
      pixels[row * side + col] = clamp(value, 0, 1);
    }
  }
  return grayImage(side, side, pixels);
}

function paintEyes(skin: number, fx: number, fy: number, id: FaceIdentity, v: FaceVariation, edge: number): number {
  let value = skin;
  for (let sideSign = -1; sideSign <= 1; sideSign += 2) {
    const lx = fx - sideSign * id.eyeSpacing;
    const ly = fy - id.eyeY;
    const socket = cover(ellipseDistance(lx, ly + 0.01, id.eyeWidth * 1.6, id.eyeWidth * 0.95), 0.06);
    value *= 1 - 0.14 * socket;
    const openHeight = Math.max(0.004, id.eyeWidth * id.eyeAspect * v.eyeOpen);
    const whiteDistance = ellipseDistance(lx, ly, id.eyeWidth, openHeight);
    const white = cover(whiteDistance, edge);
    value = mix(value, 0.82, white);
    const irisX = lx - v.gazeX * id.eyeWidth * 0.4;
    const iris = cover(Math.hypot(irisX, ly) - id.eyeWidth * 0.5, edge) * white;
    value = mix(value, id.irisTone, iris);
    const pupil = cover(Math.hypot(irisX, ly) - id.eyeWidth * 0.2, edge) * white;
    value = mix(value, 0.03, pupil);
    const lid = cover(Math.abs(whiteDistance) - 0.007, edge) * (ly < 0 ? 1 : 0.4);
    value = mix(value, 0.1, lid);
  }
  return value;
}

function paintBrows(skin: number, fx: number, fy: number, id: FaceIdentity, v: FaceVariation, edge: number): number {
  let value = skin;
  const halfLength = id.eyeWidth * 1.45;
  for (let sideSign = -1; sideSign <= 1; sideSign += 2) {
    // t runs from -1 (inner end) to 1 (outer end).
    const t = clamp(((fx - sideSign * id.eyeSpacing) * sideSign) / halfLength, -1.2, 1.2);
    const centreY = id.eyeY - id.browGap - v.browRaise - id.browArch * (1 - t * t) - id.browTilt * 0.05 * t;
    const thickness = id.browThickness * (1 - 0.35 * t);
    const brow =
      cover(Math.abs(fy - centreY) - thickness / 2, edge) *
      cover(Math.abs(fx - sideSign * id.eyeSpacing) - halfLength, edge);
    value = mix(value, id.browTone, 0.9 * brow);
  }
  return value;
}

function paintNose(
  skin: number,
  fx: number,
  fy: number,
  tipY: number,
  id: FaceIdentity,
  v: FaceVariation,
  edge: number,
): number {
  let value = skin;
  const tip = cover(ellipseDistance(fx, fy - tipY + 0.02, id.noseWidth * 0.4, id.noseWidth * 0.32), 0.03);
  value += 0.06 * tip;
  for (let sideSign = -1; sideSign <= 1; sideSign += 2) {
    const nostril = cover(
      ellipseDistance(fx - sideSign * id.noseWidth * 0.45, fy - tipY - 0.012, id.noseWidth * 0.28, id.noseWidth * 0.13),
      edge,
    );
    value = mix(value, skin * 0.4, nostril);
    // The side of the nose away from the light is in shadow.
    const away = 0.1 + 0.25 * Math.max(0, -sideSign * Math.sin(v.lightAngle));
    const ridge = segmentDistance(
      fx,
      fy,
      sideSign * id.noseWidth * 0.25,
      id.eyeY + 0.06,
      sideSign * id.noseWidth * 0.62,
      tipY - 0.01,
    );
    value *= 1 - away * cover(ridge - 0.012, Math.max(edge, 0.02));
  }
  return value;
}

function lipMask(fx: number, fy: number, id: FaceIdentity, v: FaceVariation, edge: number): number {
  const across = fx / id.mouthWidth;
  const centre = id.mouthY - v.smile * 0.05 * across * across;
  const opening = v.mouthOpen * 0.05;
  const taper = Math.max(0, 1 - 0.6 * across * across);
  const upper = fy - (centre - opening / 2 - id.lipThickness * taper);
  const lower = centre + opening / 2 + id.lipThickness * 1.3 * taper - fy;
  return cover(-Math.min(upper, lower), edge) * cover(Math.abs(fx) - id.mouthWidth, edge);
}

function paintMouth(skin: number, fx: number, fy: number, id: FaceIdentity, v: FaceVariation, edge: number): number {
  const across = fx / id.mouthWidth;
  const centre = id.mouthY - v.smile * 0.05 * across * across;
  const opening = v.mouthOpen * 0.05;
  const inside = cover(Math.abs(fx) - id.mouthWidth, edge);
  let value = mix(skin, skin * id.lipTone, lipMask(fx, fy, id, v, edge));
  value = mix(value, 0.08, cover(Math.abs(fy - centre) - opening / 2, edge) * inside * (opening > 0.002 ? 1 : 0));
  value = mix(value, skin * 0.35, cover(Math.abs(fy - centre) - 0.006, edge) * inside);
  return value;
}

function glassesMask(fx: number, fy: number, id: FaceIdentity, edge: number): number {
  const radius = id.eyeWidth * 1.9;
  let mask = 0;
  for (let sideSign = -1; sideSign <= 1; sideSign += 2) {
    const ring = Math.abs(Math.hypot(fx - sideSign * id.eyeSpacing, fy - id.eyeY) - radius) - 0.011;
    mask = Math.max(mask, cover(ring, edge));
  }
  const bridgeHalf = Math.max(0, id.eyeSpacing - radius);
  const bridge = cover(Math.abs(fy - id.eyeY + 0.03) - 0.01, edge) * cover(Math.abs(fx) - bridgeHalf, edge);
  return Math.max(mask, bridge);
}

/** Coverage of a shape at signed distance d (negative inside) with a soft edge of width `edge`. */
function cover(distance: number, edge: number): number {
  return clamp(0.5 - distance / edge, 0, 1);
}

/** Approximate signed distance to an axis-aligned ellipse. */
function ellipseDistance(x: number, y: number, rx: number, ry: number): number {
  return (Math.hypot(x / rx, y / ry) - 1) * Math.min(rx, ry);
}

function segmentDistance(x: number, y: number, x0: number, y0: number, x1: number, y1: number): number {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const t = clamp(((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy), 0, 1);
  return Math.hypot(x - x0 - t * dx, y - y0 - t * dy);
}

function mix(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

function clamp(x: number, low: number, high: number): number {
  return Math.min(Math.max(x, low), high);
}

/** Smooth value noise in [0, 1]: hashed lattice values, smoothstep-interpolated. */
function valueNoise(x: number, y: number, seed: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const tx = x - x0;
  const ty = y - y0;
  const sx = tx * tx * (3 - 2 * tx);
  const sy = ty * ty * (3 - 2 * ty);
  const a = latticeValue(x0, y0, seed);
  const b = latticeValue(x0 + 1, y0, seed);
  const c = latticeValue(x0, y0 + 1, seed);
  const d = latticeValue(x0 + 1, y0 + 1, seed);
  return mix(mix(a, b, sx), mix(c, d, sx), sy);
}

function latticeValue(x: number, y: number, seed: number): number {
  let h = Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1) ^ seed;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}
