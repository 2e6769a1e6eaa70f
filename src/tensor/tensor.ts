import { type GradNode, record, runBackward } from './autograd.js';
import { allocate, assertDType, type DType, dtypeOf, type Storage } from './dtype.js';
import { formatTensor } from './format.js';
import { assertValidShape, formatShape, sizeOf } from './shape.js';

/** A nested array of numbers, as accepted by `tensor()` and returned by `toArray()`. */
export type NestedArray = number | NestedArray[];

/** Options of `Tensor.backward`. */
export interface BackwardOptions {
  /** Keep the graph's saved tensors so backward can run through it again (default false). */
  retainGraph?: boolean;
}

/** Called with every new tensor and its storage (src/memory tracks what a reuse scope made). */
export type TensorCreationObserver = (tensor: Tensor, storage: Storage) => void;

let creationObserver: TensorCreationObserver | null = null;

/** Installs the observer of tensor creation; null removes it. */
export function observeTensorCreation(observer: TensorCreationObserver | null): void {
  creationObserver = observer;
}

/**
 * An n-dimensional array with contiguous row-major storage, and the node of the autograd graph
 * that made it. Ops never mutate a tensor's data; they return new tensors.
 *
 * Where it differs from a PyTorch tensor: `size` is the element count (PyTorch's `numel()`, also
 * here as `numel()`), the dimensions are `shape`; only float32 and float64 exist, so labels,
 * indices and `argmax` results are float tensors holding integers (exact up to 2^24), and asking
 * for another dtype throws; storage is always contiguous (no strided views); options are
 * camel-cased (`requiresGrad`, `weightDecay`).
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * x.mul(x).sum().backward();
 * console.log(x.grad);
 * // tensor([[2., 4.],
 * //         [6., 8.]], shape=[2, 2], dtype=float32)
 */
export class Tensor {
  /** The elements; null once a reuse scope has recycled them (see `BufferPool`). */
  private storage: Storage | null;
  /** Size of each dimension; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** Whether gradients flow to this tensor. Set it on leaves you want gradients for. */
  requiresGrad: boolean;
  /** Gradient accumulated by `backward()` (leaves only). */
  grad: Tensor | null = null;
  /** The op that produced this tensor, or null for a leaf. */
  gradFn: GradNode | null = null;

  /** Wraps storage of exactly `sizeOf(shape)` elements; prefer `tensor()` in user code. */
  constructor(data: Storage, shape: readonly number[], requiresGrad = false) {
    assertValidShape('Tensor', shape);
    if (data.length !== sizeOf(shape)) {
      throw new Error(
        `Tensor: data has ${data.length} elements but shape ${formatShape(shape)} needs ${sizeOf(shape)}`,
      );
    }
    // As PyTorch: gradients are fractions, so only float tensors can have them.
    if (requiresGrad && data instanceof Int32Array) {
      throw new Error('Tensor: only float32 and float64 tensors can require gradients, got int32');
    }
    this.storage = data;
    this.shape = Object.freeze([...shape]);
    this.requiresGrad = requiresGrad;
    creationObserver?.(this, data);
  }

  /** Flat row-major elements. Throws once the tensor is released (see `released`). */
  get data(): Storage {
    if (this.storage === null) {
      throw new Error(
        `Tensor(${formatShape(this.shape)}) was released: a BufferPool.run scope that made it has ended and its ` +
          'storage went back to the pool; return the tensor from the scope or keep() it to use it afterwards',
      );
    }
    return this.storage;
  }

  /** True once a reuse scope has taken this tensor's storage back (`BufferPool.run`). */
  get released(): boolean {
    return this.storage === null;
  }

  /** @internal Called by the reuse scope when it recycles the storage; any later read of `data` throws. */
  markReleased(): void {
    this.storage = null;
  }

  /** @internal Called by the reuse scope to move a kept tensor to a copy of its storage (same length and values). */
  replaceStorage(copy: Storage): void {
    if (this.storage === null || copy.length !== this.storage.length) {
      throw new Error(`Tensor.replaceStorage: expected ${this.storage?.length ?? 0} elements, got ${copy.length}`);
    }
    this.storage = copy;
  }

  /** Element type of the storage. */
  get dtype(): DType {
    return dtypeOf(this.data);
  }

  /**
   * Number of elements. Unlike PyTorch's `size()`, which returns the shape, this is the element
   * count (PyTorch's `numel()`); use `shape` for the dimensions.
   */
  get size(): number {
    return this.data.length;
  }

  /**
   * Number of elements, under PyTorch's name; the same as `size`.
   * @returns the product of the shape's dimensions (1 for a scalar)
   * @example tensor([[1, 2, 3], [4, 5, 6]]).numel() // 6
   */
  numel(): number {
    return this.data.length;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** True when no op produced this tensor. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /**
   * The single value of a one-element tensor, as a JavaScript number (PyTorch's `item()`).
   * @example sum(x).item()
   */
  item(): number {
    if (this.data.length !== 1) {
      throw new Error(`item: tensor of shape ${formatShape(this.shape)} has ${this.data.length} elements, expected 1`);
    }
    return this.data[0];
  }

  /**
   * The elements as nested arrays (a number for a scalar), like PyTorch's `tolist()`.
   * @example tensor([[1, 2]]).toArray() // [[1, 2]]
   */
  toArray(): NestedArray {
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.shape.length) return this.data[offset];
      const inner = sizeOf(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, offset + i * inner));
    };
    return build(0, 0);
  }

  /**
   * A tensor sharing this one's data, cut from the graph (PyTorch's `detach()`).
   * @example const frozen = t.detach().clone() // an independent copy outside the graph
   */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  /**
   * A copy with its own storage, optionally converted to another dtype. Differentiable, as
   * PyTorch's `clone()` (and `to(dtype)` when converting): gradients flow back to this tensor,
   * converted to its dtype. For a copy outside the graph, call `detach().clone()`.
   * @param dtype element type of the copy (default: this tensor's)
   * @returns a new tensor of the same shape and values
   * @example const y = x.clone('float64') // y.backward() reaches x
   */
  clone(dtype: DType = this.dtype): Tensor {
    assertDType('clone', dtype);
    const copy = allocate(dtype, this.data.length);
    copy.set(this.data);
    // int32 tensors never require gradients, so their copies (labels cast to float) need no graph.
    if (this.dtype === 'int32') return new Tensor(copy, this.shape);
    if (dtype === 'int32') {
      // Truncation toward zero, as PyTorch's .to(torch.int32); Int32Array.set would do it silently.
      throw new Error(
        `clone: cannot convert ${this.dtype} to int32; pass integer values to tensor(..., { dtype: 'int32' })`,
      );
    }
    // The identity's gradient is the incoming one; backward converts it to this tensor's dtype.
    return record('clone', [this], new Tensor(copy, this.shape), (gradOutput) => [gradOutput]);
  }

  /**
   * Reverse-mode autodiff from this tensor. Without `gradient` the tensor must hold one element;
   * otherwise `gradient` has this tensor's shape and seeds the walk.
   * @param gradient d(something)/d(this tensor); omitted for a one-element loss (seed 1)
   * @param options retainGraph to run backward through the same graph again
   * @example loss.backward(); console.log(weight.grad)
   */
  backward(gradient?: Tensor, options: BackwardOptions = {}): void {
    runBackward(this, gradient, options.retainGraph ?? false);
  }

  /** Clears the accumulated gradient. */
  zeroGrad(): void {
    this.grad = null;
  }

  /**
   * The values as PyTorch prints them, then shape, dtype and gradient state; large tensors are
   * summarised with `...`.
   * @example String(tensor([[1, 2]], { requiresGrad: true }))
   * // 'tensor([[1., 2.]], shape=[1, 2], dtype=float32, requiresGrad=true)'
   */
  toString(): string {
    if (this.storage === null) return `Tensor(${formatShape(this.shape)}, released)`;
    const op = this.gradFn?.op ?? null;
    return formatTensor({
      data: this.storage,
      shape: this.shape,
      dtype: this.dtype,
      requiresGrad: this.requiresGrad,
      op,
    });
  }

  /** What `console.log` and `util.inspect` show (Node's well-known symbol, so no node: import). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
