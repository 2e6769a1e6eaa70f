import { noGrad } from '../tensor/autograd.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Parameter } from './parameter.js';

/** A state dict: PyTorch's dotted names (`conv1.net.0.net.1.running_mean`) to tensors. */
export type StateDict = Map<string, Tensor>;

/** What loadStateDict accepts: a Map or a plain object of name to tensor. */
export type StateDictInput = ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;

/** Options of {@link Module.loadStateDict}. */
export interface LoadStateDictOptions {
  /** Throw when keys are missing or unexpected (default true). Mis-shaped keys always throw. */
  strict?: boolean;
}

/** What loadStateDict found besides the keys it loaded. */
export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** A module of any signature, as stored among another module's children. */
// biome-ignore lint/suspicious/noExplicitAny: forward's parameters vary per module; children are called through their own types.
export type AnyModule = Module<any[], unknown>;

/**
 * Base class of layers and models, after torch.nn.Module: parameters, buffers and child modules
 * are registered under names in order, and those names joined with dots are the state-dict keys,
 * so weights move between PyTorch and arcgrad unchanged.
 * @example
 * class TwoLayer extends Module {
 *   readonly fc1 = this.registerModule('fc1', new Linear(4, 8));
 *   readonly fc2 = this.registerModule('fc2', new Linear(8, 2));
 *   forward(x: Tensor): Tensor {
 *     return this.fc2.forward(this.fc1.forward(x).relu());
 *   }
 * }
 * const net = new TwoLayer(); // net.stateDict() keys: fc1.weight, fc1.bias, fc2.weight, fc2.bias
 */
export abstract class Module<Args extends unknown[] = [Tensor], Output = Tensor> {
  /** Whether the module is in training mode (batch statistics in BatchNorm). */
  training = true;
  private readonly ownParameters = new Map<string, Parameter | null>();
  private readonly ownBuffers = new Map<string, Tensor>();
  private readonly ownChildren = new Map<string, AnyModule>();

  /** Computes the module's output. */
  abstract forward(...args: Args): Output;

  private checkName(kind: string, name: string): void {
    if (name === '' || name.includes('.'))
      throw new Error(`Module: ${kind} name must be non-empty without dots, got '${name}'`);
    if (this.ownParameters.has(name) || this.ownBuffers.has(name) || this.ownChildren.has(name)) {
      throw new Error(`Module: '${name}' is already registered on ${this.constructor.name}`);
    }
  }

  /** Registers a parameter (null reserves the name, like `bias=False`) and returns it. */
  protected registerParameter<P extends Parameter | null>(name: string, parameter: P): P {
    this.checkName('parameter', name);
    this.ownParameters.set(name, parameter);
    return parameter;
  }

  /** Registers a buffer: state that is saved and loaded but not trained (running statistics). */
  protected registerBuffer<T extends Tensor>(name: string, buffer: T): T {
    this.checkName('buffer', name);
    this.ownBuffers.set(name, buffer);
    return buffer;
  }

  /** Registers a child module and returns it. */
  protected registerModule<M extends AnyModule>(name: string, module: M): M {
    this.checkName('module', name);
    this.ownChildren.set(name, module);
    return module;
  }

  /** Direct children with their names, in registration order. */
  namedChildren(): [string, AnyModule][] {
    return [...this.ownChildren];
  }

  /** This module and all its descendants, depth first, with dotted names ('' for this one). */
  namedModules(prefix = ''): [string, AnyModule][] {
    const out: [string, AnyModule][] = [[prefix, this]];
    for (const [name, child] of this.ownChildren) out.push(...child.namedModules(join(prefix, name)));
    return out;
  }

  /** Every parameter with its dotted PyTorch name, each tensor once, in PyTorch's order. */
  namedParameters(): [string, Parameter][] {
    const seen = new Set<Parameter>();
    const out: [string, Parameter][] = [];
    for (const [moduleName, module] of this.namedModules()) {
      for (const [name, parameter] of module.ownParameters) {
        if (parameter === null || seen.has(parameter)) continue;
        seen.add(parameter);
        out.push([join(moduleName, name), parameter]);
      }
    }
    return out;
  }

  /** Every parameter, each once, in PyTorch's order. */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Total number of parameter elements. */
  numParameters(): number {
    return this.parameters().reduce((sum, p) => sum + p.size, 0);
  }

  /** Every buffer with its dotted name. */
  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [moduleName, module] of this.namedModules()) {
      for (const [name, buffer] of module.ownBuffers) out.push([join(moduleName, name), buffer]);
    }
    return out;
  }

  /** Every buffer. */
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /** Sets training mode on this module and all descendants; returns this. */
  train(mode = true): this {
    for (const [, module] of this.namedModules()) module.training = mode;
    return this;
  }

  /** Sets evaluation mode (running statistics in BatchNorm); returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Clears the gradient of every parameter. */
  zeroGrad(): void {
    for (const parameter of this.parameters()) parameter.zeroGrad();
  }

  /**
   * Parameters and buffers by PyTorch key, in PyTorch's order (each module's parameters, then its
   * buffers, then its children). The tensors share storage with the module, like torch's state_dict.
   * @param prefix prepended with a dot to every key (used for children)
   * @returns a Map from key to tensor
   */
  stateDict(prefix = ''): StateDict {
    const out: StateDict = new Map();
    for (const [name, parameter] of this.ownParameters) {
      if (parameter !== null) out.set(join(prefix, name), parameter.detach());
    }
    for (const [name, buffer] of this.ownBuffers) out.set(join(prefix, name), buffer.detach());
    for (const [name, child] of this.ownChildren) {
      for (const [key, value] of child.stateDict(join(prefix, name))) out.set(key, value);
    }
    return out;
  }

  /**
   * Copies tensors into this module's parameters and buffers by key (converting dtype). Checks
   * everything before copying anything, and reports every missing, unexpected and mis-shaped key
   * in one error; with `strict: false` only mis-shaped keys throw and the rest is returned.
   * @param dict tensors by key: a Map or a plain object (e.g. safetensors contents)
   * @param options strict (default true)
   * @returns the keys that were missing or unexpected (both empty when strict)
   * @example model.loadStateDict(readSafetensors('face.safetensors').tensors)
   */
  loadStateDict(dict: StateDictInput, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const strict = options.strict ?? true;
    const source = dict instanceof Map ? (dict as ReadonlyMap<string, Tensor>) : new Map(Object.entries(dict));
    const targets = this.stateDict();
    const missingKeys = [...targets.keys()].filter((k) => !source.has(k));
    const unexpectedKeys = [...source.keys()].filter((k) => !targets.has(k));
    const problems: string[] = [];
    for (const [key, target] of targets) {
      const value = source.get(key);
      if (value === undefined) continue;
      if (!(value instanceof Tensor)) {
        problems.push(`  ${key}: expected a Tensor, got ${typeof value}`);
      } else if (!shapesEqual(value.shape, target.shape)) {
        problems.push(
          `  ${key}: shape ${formatShape(value.shape)} in the dict, ${formatShape(target.shape)} in the model`,
        );
      }
    }
    const lines: string[] = [];
    if (problems.length > 0) lines.push(`mis-shaped keys (${problems.length}):`, ...firstOf(problems));
    if (strict && missingKeys.length > 0) {
      lines.push(`missing keys (${missingKeys.length}):`, ...firstOf(missingKeys.map((k) => `  ${k}`)));
    }
    if (strict && unexpectedKeys.length > 0) {
      lines.push(`unexpected keys (${unexpectedKeys.length}):`, ...firstOf(unexpectedKeys.map((k) => `  ${k}`)));
    }
    if (lines.length > 0) {
      throw new Error(`loadStateDict: cannot load into ${this.constructor.name}:\n${lines.join('\n')}`);
    }
    noGrad(() => {
      for (const [key, target] of targets) {
        const value = source.get(key);
        if (value !== undefined) target.data.set(value.data);
      }
    });
    return { missingKeys, unexpectedKeys };
  }
}

function join(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}

/** The first 20 lines of a list, then how many more: a dict of 200k stray keys stays one readable error. */
function firstOf(lines: string[]): string[] {
  const shown = 20;
  return lines.length <= shown ? lines : [...lines.slice(0, shown), `  ... and ${lines.length - shown} more`];
}
