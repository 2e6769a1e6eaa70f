import type { Storage } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** A saved per-parameter buffer: a tensor, or its values as a typed or plain array (e.g. after JSON). */
export type SavedBuffer = Tensor | ArrayLike<number>;

/**
 * What optimizers share: the parameter list, the learning rate that schedulers change, and
 * `zeroGrad`. Subclasses implement `step` with PyTorch's update rule and keep their state in
 * storage of each parameter's dtype, so float32 state is rounded exactly where PyTorch rounds it.
 */
export abstract class Optimizer {
  /** The parameters this optimizer updates in place, in the order given. */
  readonly params: readonly Tensor[];
  /** Learning rate of the next `step` (schedulers such as StepLR change it). */
  lr: number;
  /** Name used in error messages. */
  protected readonly name: string;

  /** Validates the parameter list (non-empty, leaf tensors, no repeats) and the learning rate. */
  protected constructor(name: string, params: Iterable<Tensor>, lr: number) {
    this.name = name;
    const list = [...params];
    if (list.length === 0) throw new Error(`${name}: got an empty parameter list`);
    const seen = new Set<Tensor>();
    list.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new Error(`${name}: parameter ${i} is not a Tensor`);
      if (!p.isLeaf)
        throw new Error(`${name}: parameter ${i} is not a leaf tensor (it was computed by ${p.gradFn?.op})`);
      if (seen.has(p)) throw new Error(`${name}: parameter ${i} appears more than once in the parameter list`);
      seen.add(p);
    });
    this.params = Object.freeze(list);
    assertHyperparameter(name, 'lr', lr, 0, Number.POSITIVE_INFINITY);
    this.lr = lr;
  }

  /** Updates every parameter that has a gradient, in place. */
  abstract step(): void;

  /**
   * Clears every parameter's gradient (sets it to null, PyTorch 2's default `set_to_none`), so
   * parameters that get no gradient in the next backward are skipped by `step`.
   */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  /** Throws unless a loaded state dict covers exactly this optimizer's parameters. */
  protected checkParamCount(count: number): void {
    if (count !== this.params.length) {
      throw new Error(
        `${this.name}.loadStateDict: state dict has ${count} parameters but the optimizer has ${this.params.length}`,
      );
    }
  }
}

/** Throws naming the optimizer and hyperparameter unless `value` is a number in [min, max]. */
export function assertHyperparameter(owner: string, argument: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
    throw new Error(`${owner}: ${argument} must be a number in [${min}, ${max}], got ${String(value)}`);
  }
}

/** A copy of a state buffer as a tensor of its parameter's shape and dtype (what state dicts hold). */
export function saveBuffer(buffer: Storage, param: Tensor): Tensor {
  return new Tensor(buffer.slice(), param.shape);
}

/**
 * Reads a saved buffer back into fresh storage of `param`'s dtype, checking its element count
 * (float32 values survive a JSON round trip exactly, so plain arrays resume training exactly).
 */
export function loadBuffer(owner: string, what: string, saved: SavedBuffer, param: Tensor): Storage {
  const values = saved instanceof Tensor ? saved.data : saved;
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new Error(`${owner}.loadStateDict: ${what} must be a tensor or an array of numbers`);
  }
  if (values.length !== param.size) {
    throw new Error(
      `${owner}.loadStateDict: ${what} has ${values.length} elements but the parameter has shape ${formatShape(param.shape)} (${param.size} elements)`,
    );
  }
  const out = param.dtype === 'float64' ? new Float64Array(param.size) : new Float32Array(param.size);
  for (let i = 0; i < out.length; i++) {
    const v = values[i];
    if (typeof v !== 'number') throw new Error(`${owner}.loadStateDict: ${what} element ${i} is not a number`);
    out[i] = v;
  }
  return out;
}
