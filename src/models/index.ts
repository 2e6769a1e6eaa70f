/** models: FaceMobileNet and its blocks, with the reference recipe's PyTorch module tree. */
export { type ConvBlockOptions, ConvBn } from './conv-bn.js';
export { ConvBnPrelu } from './conv-bn-prelu.js';
export { DepthWise, type DepthWiseOptions } from './depth-wise.js';
export { DepthWiseRes } from './depth-wise-res.js';
export { FaceMobileNet, type FaceMobileNetOptions, faceMobileNetGeometry } from './face-mobilenet.js';
export { MultiDepthWiseRes } from './multi-depth-wise-res.js';
