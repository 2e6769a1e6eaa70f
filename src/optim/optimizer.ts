import type { Storage } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** A saved per-parameter buffer: a tensor, or its values as a typed or plain array (e.g. after JSON). */
export type SavedBuffer = Tensor | ArrayLike<number>;

/** One parameter group: its tensors and the hyperparameters they are updated with (PyTorch's param_groups entry). */
export type ParamGroup<H> = H & { readonly params: readonly Tensor[] };

/** A parameter group as a constructor takes it: tensors plus the hyperparameters that differ from the defaults. */
export type ParamGroupOptions<H> = Partial<H> & { params: Iterable<Tensor> };

/** What an optimizer constructor takes: tensors (one group) or parameter groups, as torch.optim does. */
export type ParamsOrGroups<H> = Iterable<Tensor> | Iterable<ParamGroupOptions<H>>;

/** A group's hyperparameters as a state dict saves them, with its parameter count to check the layout on load. */
export type SavedParamGroup<H> = H & { paramCount: number };

/**
 * What optimizers share: parameter groups, the learning rate that schedulers change, and
 * `zeroGrad`. Subclasses implement `step` with PyTorch's update rule and keep their state in
 * storage of each parameter's dtype, so float32 state is rounded exactly where PyTorch rounds it.
 * Per-parameter state is indexed by position in `params` (every group's tensors in order), as
 * PyTorch's state dict numbers them.
 */
export abstract class Optimizer<H extends { lr: number } = { lr: number }> {
  /** The groups in the order given; their hyperparameters may be changed between steps, as in PyTorch. */
  readonly paramGroups: readonly ParamGroup<H>[];
  /** Every group's parameters in order, each once: the indices of the per-parameter state. */
  readonly params: readonly Tensor[];
  /** Name used in error messages. */
  protected readonly name: string;

  /**
   * Validates the parameters (non-empty in all, leaf tensors, none in two places) and gives every
   * group the defaults it does not override; `resolve` validates one group's hyperparameters and
   * names `owner` in its errors.
   */
  protected constructor(
    name: string,
    params: ParamsOrGroups<H>,
    defaults: H,
    resolve: (options: H, owner: string) => H,
  ) {
    this.name = name;
    const given: unknown[] = [...(params as Iterable<unknown>)];
    const grouped = given.length > 0 && given.every((g) => !(g instanceof Tensor) && isGroupOptions(g));
    const groups = grouped
      ? (given as ParamGroupOptions<H>[]).map((g, i) => ({
          options: g,
          tensors: [...g.params],
          label: `paramGroups[${i}].params`,
        }))
      : [{ options: {} as Partial<H>, tensors: given, label: 'parameter' }];
    const seen = new Set<Tensor>();
    for (const { tensors, label } of groups) {
      tensors.forEach((p, i) => {
        const where = grouped ? `${label}[${i}]` : `${label} ${i}`;
        if (!(p instanceof Tensor)) throw new Error(`${name}: ${where} is not a Tensor`);
        if (!p.isLeaf) throw new Error(`${name}: ${where} is not a leaf tensor (it was computed by ${p.gradFn?.op})`);
        if (seen.has(p)) throw new Error(`${name}: ${where} appears more than once in the parameters`);
        seen.add(p);
      });
    }
    if (seen.size === 0) throw new Error(`${name}: got an empty parameter list`);
    this.paramGroups = groups.map(({ options, tensors }, i) => {
      const { params: _, ...overrides } = options as ParamGroupOptions<H>;
      const hyperparameters = resolve({ ...defaults, ...overrides } as H, grouped ? `${name} paramGroups[${i}]` : name);
      return { ...hyperparameters, params: Object.freeze(tensors as Tensor[]) };
    });
    this.params = Object.freeze([...seen]);
  }

  /**
   * The first group's learning rate. Setting it sets every group's, which is what a single-group
   * optimizer needs; schedulers scale each group's own lr instead.
   */
  get lr(): number {
    return this.paramGroups[0].lr;
  }

  /** Sets every group's learning rate to `value`. */
  set lr(value: number) {
    assertHyperparameter(this.name, 'lr', value, 0, Number.POSITIVE_INFINITY);
    for (const group of this.paramGroups) group.lr = value;
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

  /** Calls `visit` for every parameter with its index in `params` and its group. */
  protected forEachParam(visit: (param: Tensor, index: number, group: ParamGroup<H>) => void): void {
    let index = 0;
    for (const group of this.paramGroups) for (const param of group.params) visit(param, index++, group);
  }

  /** Every group's hyperparameters and parameter count, for a state dict. */
  protected savedGroups(): SavedParamGroup<H>[] {
    return this.paramGroups.map(({ params, ...hyperparameters }) => ({
      ...(hyperparameters as unknown as H),
      paramCount: params.length,
    }));
  }

  /**
   * Checks saved groups against this optimizer's layout and validates each; a dict without groups
   * (written by a single-group optimizer) gives `fallback` to the one group.
   */
  protected checkedGroups(
    saved: readonly SavedParamGroup<H>[] | undefined,
    fallback: H,
    resolve: (options: H, owner: string) => H,
  ): H[] {
    const owner = `${this.name}.loadStateDict`;
    const list = saved ?? [{ ...fallback, paramCount: this.params.length }];
    if (list.length !== this.paramGroups.length) {
      throw new Error(
        `${owner}: state dict has ${list.length} parameter groups but the optimizer has ${this.paramGroups.length}`,
      );
    }
    return list.map(({ paramCount, ...hyperparameters }, i) => {
      const expected = this.paramGroups[i].params.length;
      if (paramCount !== expected) {
        throw new Error(`${owner}: paramGroups[${i}] has ${paramCount} parameters but the optimizer's has ${expected}`);
      }
      return resolve(hyperparameters as unknown as H, saved ? `${owner} paramGroups[${i}]` : owner);
    });
  }

  /** Gives each group the hyperparameters `checkedGroups` returned. */
  protected assignGroups(groups: readonly H[]): void {
    groups.forEach((hyperparameters, i) => {
      Object.assign(this.paramGroups[i], hyperparameters);
    });
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

/** True for `{ params: ... }` objects, the way torch.optim tells groups from tensors. */
function isGroupOptions(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'params' in value;
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
