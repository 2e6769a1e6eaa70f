/** Margin heads for face recognition: CosFace and ArcFace (modules and their logit functions). */
export { ArcFace, type ArcFaceModuleOptions, type ArcFaceOptions, arcFaceLogits } from './arc-face.js';
export { type ArcMarginOptions, arcFaceMargin, marginSine } from './arc-margin.js';
export { CosFace, type CosFaceModuleOptions, type CosFaceOptions, cosFaceLogits } from './cos-face.js';
