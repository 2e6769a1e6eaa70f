import { arcFaceLogits } from '../../src/heads/index.js';
import { readSafetensors } from '../../src/io/index.js';
import { focalLoss } from '../../src/losses/index.js';
import { FaceMobileNet } from '../../src/models/index.js';
import { type Module, Parameter, PReLU } from '../../src/nn/index.js';
import { add } from '../../src/ops/index.js';
import { type DType, manualSeed, Tensor } from '../../src/tensor/index.js';
import { hashTensor, mix32 } from './formula.js';

/**
 * The random cases of scripts/make_gradient_accuracy_fixtures.py: the reference recipe's training step
 * (FaceMobileNet 512-d on 128 px, batch 3, ArcFace 512 -> 7, focal loss) with every value drawn from
 * the hash formula on the case's own streams, so arcgrad starts from PyTorch's float32 numbers bit for bit.
 */

/** The fixture's `config` metadata. */
export interface GradientCaseConfig {
  embedding: number;
  input: number;
  batch: number;
  classes: number;
  cases: number;
  samples: number;
  streamBase: number;
  streamStride: number;
  inputOffset: number;
  headOffset: number;
}

function caseStream(config: GradientCaseConfig, index: number, offset: number): number {
  return config.streamBase + index * config.streamStride + offset;
}

/** The case's state dict (recipe_value / gradients() in the script): PyTorch's default init ranges and the recipe's. */
export function recipeStateDict(module: Module<never[], unknown>, config: GradientCaseConfig, index: number) {
  const preluKeys = new Set(
    module
      .namedModules()
      .filter(([, m]) => m instanceof PReLU)
      .map(([name]) => `${name}.weight`),
  );
  const out = new Map<string, Tensor>();
  [...module.stateDict()].forEach(([key, current], entry) => {
    const stream = caseStream(config, index, entry);
    const shape = current.shape;
    if (key.endsWith('num_batches_tracked')) out.set(key, new Tensor(new Float64Array(current.size), shape));
    else if (key.endsWith('running_mean')) out.set(key, hashTensor(stream, shape, 0.2));
    else if (key.endsWith('running_var')) out.set(key, hashTensor(stream, shape, 0.75, 1.25));
    else if (shape.length >= 2) out.set(key, hashTensor(stream, shape, Math.sqrt(1 / (current.size / shape[0]))));
    else if (preluKeys.has(key)) out.set(key, hashTensor(stream, shape, 0.225, 0.275));
    else if (key.endsWith('weight')) out.set(key, hashTensor(stream, shape, 0.5, 1));
    else out.set(key, hashTensor(stream, shape, 0.2));
  });
  return out;
}

/** The labels of case `index`: [S % 7, (S+3) % 7, (S+5) % 7] for 7 classes. */
export function caseLabels(config: GradientCaseConfig, index: number): number[] {
  return [0, 3, 5].map((shift) => (index + shift) % config.classes);
}

/** The element of a tensor of `size` that the script samples as number `k` (sample_indices in the script). */
export function sampleIndex(index: number, tensorIndex: number, k: number, size: number): number {
  const key = (Math.imul(index, 0x01000193) + Math.imul(tensorIndex, 0x9e3779b1) + Math.imul(k, 0x85ebca77)) >>> 0;
  return mix32(key) % size;
}

/**
 * PReLU inputs on the two sides of zero. An input within float32's rounding of zero (about 1e-7 of its
 * layer's scale) can land on the other side in float32, and that element's derivative jumps from 1 to
 * the slope: a branch decision, not a summation error, and the source of every float32 outlier in
 * these cases (arcgrad's and PyTorch's alike; KinkSigns in the script). The float64 run records each
 * PReLU input's signs; a float32 run counts the inputs that crossed and, when `align` is set, moves
 * them back to float64's side by adding -2x there (exact, and the gradient of x is unchanged).
 */
export class KinkSigns {
  private readonly signs: Uint8Array[] = [];
  private call = 0;
  /** Per PReLU layer of the last float32 run, the inputs on the other side of zero than in float64. */
  flips: number[] = [];
  /** Whether float32 runs move crossed inputs back to float64's side. */
  align = false;

  /** Wraps every PReLU of `net` so that its input passes through {@link KinkSigns.pass} first. */
  attach(net: Module<never[], unknown>): void {
    this.call = 0;
    this.flips = [];
    for (const [, m] of net.namedModules()) {
      if (!(m instanceof PReLU)) continue;
      const forward = m.forward.bind(m);
      m.forward = (x: Tensor) => forward(this.pass(x));
    }
  }

  private pass(x: Tensor): Tensor {
    const data = x.data;
    if (x.dtype === 'float64') {
      this.signs.push(Uint8Array.from(data, (v) => (v > 0 ? 1 : 0)));
      return x;
    }
    const signs = this.signs[this.call];
    if (!signs || signs.length !== data.length) {
      throw new Error(
        `KinkSigns: PReLU call ${this.call} has ${data.length} float32 inputs but the float64 step recorded ` +
          `${signs ? signs.length : 'none'}; run the float64 step of the same case first`,
      );
    }
    this.call++;
    const delta = new Float32Array(data.length);
    let crossed = 0;
    for (let i = 0; i < data.length; i++) {
      if ((data[i] > 0 ? 1 : 0) === signs[i]) continue;
      crossed++;
      delta[i] = -2 * data[i];
    }
    this.flips.push(crossed);
    return this.align && crossed > 0 ? add(x, new Tensor(delta, x.shape)) : x;
  }
}

/**
 * One training step of case `index` in `dtype`: the loss and every gradient, model parameters then
 * head.weight. `kinks` sees every PReLU input (the float64 step first).
 */
export function caseGradients(config: GradientCaseConfig, index: number, dtype: DType, kinks?: KinkSigns) {
  manualSeed(0);
  const net = new FaceMobileNet({ embeddingSize: config.embedding, inputSize: config.input, dtype });
  net.loadStateDict(recipeStateDict(net, config, index));
  net.train();
  kinks?.attach(net);
  const bound = Math.sqrt(6 / (config.embedding + config.classes));
  const headStream = caseStream(config, index, config.headOffset);
  const head = new Parameter(hashTensor(headStream, [config.classes, config.embedding], bound).clone(dtype));
  const inputStream = caseStream(config, index, config.inputOffset);
  const inputShape = [config.batch, 1, config.input, config.input];
  const input = hashTensor(inputStream, inputShape, Math.sqrt(3)).clone(dtype);
  const labels = caseLabels(config, index);
  const loss = focalLoss(arcFaceLogits(net.forward(input), head, labels, { s: 30, m: 0.5 }), labels, { gamma: 2 });
  loss.backward();
  const params: [string, Tensor][] = [
    ...net.namedParameters().map(([n, p]): [string, Tensor] => [`model.${n}`, p]),
    ['head.weight', head],
  ];
  return {
    loss: loss.data[0],
    gradients: params.map(([name, p]) => {
      if (!p.grad) throw new Error(`gradient case ${index}: parameter '${name}' received no gradient`);
      return { name, data: p.grad.data };
    }),
  };
}

/** Denominator floor of the relative error, as a fraction of the case's largest |g64| (see caseErrors). */
export const ERROR_FLOOR = 1e-6;
/** The accuracy contract: arcgrad's float32 error is at most max(ABSOLUTE_BOUND, TORCH_FACTOR x PyTorch's). */
export const ABSOLUTE_BOUND = 1e-3;
export const TORCH_FACTOR = 1.5;

/** The fixture's cases: config, parameter names and the stored tensors. */
export interface GradientCases {
  config: GradientCaseConfig;
  parameters: string[];
  torch: string;
  get(key: string): Float64Array;
}

/** Reads test/fixtures/parity/gradient-accuracy.safetensors. */
export function readGradientCases(): GradientCases {
  const path = new URL('../fixtures/parity/gradient-accuracy.safetensors', import.meta.url).pathname;
  const { tensors, metadata } = readSafetensors(path);
  return {
    config: JSON.parse(metadata.config) as GradientCaseConfig,
    parameters: JSON.parse(metadata.parameters) as string[],
    torch: metadata.torch,
    get(key: string): Float64Array {
      const t = tensors.get(key);
      if (!t)
        throw new Error(`gradient-accuracy fixture has no '${key}'; rerun scripts/make_gradient_accuracy_fixtures.py`);
      return t.data as Float64Array;
    },
  };
}

/** One tensor's float32 errors against float64, arcgrad's and PyTorch's, and arcgrad's over the contract's bound. */
export interface TensorError {
  name: string;
  ours: number;
  torch: number;
  ratio: number;
}

/** One float32 run of a case against float64: per tensor errors, and the PReLU inputs that crossed zero. */
export interface CaseRun {
  rows: TensorError[];
  /** Crossings in arcgrad's float32 run and in PyTorch's (before any alignment). */
  flips: number;
  torchFlips: number;
}

/**
 * Runs case `index` in float64 once, then in float32 as it falls (`raw`) and with every PReLU input on
 * float64's side of zero (`aligned`, compared with PyTorch's aligned errors; see KinkSigns). Returns
 * `oracle`, the largest difference between arcgrad's float64 gradients and PyTorch's at the sampled
 * elements (relative to the case's largest |g64|), and per tensor
 * err = max|g - g64| / max(max|g64|, ERROR_FLOOR x the case's largest |g64|) for arcgrad's float32 g
 * (g64 its own float64 gradient) and for PyTorch's (from the fixture). The floor keeps the ratio
 * meaningful for gradients that are zero in exact arithmetic (a BatchNorm bias whose output reaches
 * the next BatchNorm only through linear layers), where both sides hold rounding noise.
 */
export function caseErrors(cases: GradientCases, index: number) {
  const { config, parameters } = cases;
  const kinks = new KinkSigns();
  const exact = caseGradients(config, index, 'float64', kinks).gradients;
  const names = exact.map((g) => g.name);
  if (names.join() !== parameters.join()) {
    throw new Error(
      `gradient case ${index}: parameters differ from the fixture's (${names.length} vs ${parameters.length})`,
    );
  }
  const torchScale = cases.get(`c${index}.torch64.max_abs`);
  const sample = cases.get(`c${index}.torch64.sample`);
  const caseScale = Math.max(...torchScale);
  let oracle = 0;
  exact.forEach(({ data: g64 }, t) => {
    for (let k = 0; k < config.samples; k++) {
      const reference = sample[t * config.samples + k];
      oracle = Math.max(oracle, Math.abs(g64[sampleIndex(index, t, k, g64.length)] - reference) / caseScale);
    }
  });
  const sum = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0);
  const torchFlips = sum(cases.get(`c${index}.torch32.kink_flips`));
  const run = (align: boolean, rounded: { data: ArrayLike<number> }[], flips: number): CaseRun => {
    const torchError = cases.get(`c${index}.torch32.max_error${align ? '_aligned' : ''}`);
    const rows = exact.map(({ name, data: g64 }, t) => {
      const g32 = rounded[t].data;
      let maxError = 0;
      let scale = 0;
      for (let i = 0; i < g64.length; i++) {
        maxError = Math.max(maxError, Math.abs(g32[i] - g64[i]));
        scale = Math.max(scale, Math.abs(g64[i]));
      }
      const ours = maxError / Math.max(scale, ERROR_FLOOR * caseScale);
      const torch = torchError[t] / Math.max(torchScale[t], ERROR_FLOOR * caseScale);
      return { name, ours, torch, ratio: ours / Math.max(ABSOLUTE_BOUND, TORCH_FACTOR * torch) };
    });
    return { rows, flips, torchFlips };
  };
  const asTheyFall = caseGradients(config, index, 'float32', kinks).gradients;
  const flips = sum(kinks.flips);
  // Without a crossing the aligned run is the same computation: only PyTorch's side differs.
  kinks.align = true;
  const aligned = flips === 0 ? asTheyFall : caseGradients(config, index, 'float32', kinks).gradients;
  return { oracle, raw: run(false, asTheyFall, flips), aligned: run(true, aligned, flips) };
}
