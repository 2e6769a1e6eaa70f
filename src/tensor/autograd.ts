import { assertFloat, elementMovingOps } from './dtype.js';
import { profileOp } from './profiler.js';
import { formatShape, shapesEqual } from './shape.js';
import type { Tensor } from './tensor.js';

/**
 * One recorded op of the autograd graph. `backward` maps the gradient of the op's output to one
 * gradient per input (null where an input needs none). It is dropped after use unless the graph
 * is retained, which frees whatever the closure saved for backward.
 */
export interface GradNode {
  /** Name of the op that made the output, e.g. 'matmul'. */
  readonly op: string;
  /** The op's tensor inputs, in argument order. */
  readonly inputs: readonly Tensor[];
  /** Output gradient to input gradients; null once backward has freed it. */
  backward: ((gradOutput: Tensor) => readonly (Tensor | null)[]) | null;
}

/**
 * What one step of backward did with gradients. Why: src/memory hands a gradient's storage back to
 * its pool as soon as backward has finished with it; the chain rule itself needs none of this.
 */
export interface BackwardStep {
  /** Gradients backward will not read again: consumed by their op, added into another, or unused. */
  readonly finished: readonly Tensor[];
  /** The gradient this step stored on a leaf's `grad` (it outlives backward), or null. */
  readonly stored: Tensor | null;
  /** The gradients still waiting for their op (they may share storage with finished ones). */
  readonly pending: Iterable<Tensor>;
}

let startWatching: () => ((step: BackwardStep) => void) | null = () => null;

/** Installs the factory asked at the start of every backward pass for a watcher of its steps (null: none). */
export function observeGradients(start: () => ((step: BackwardStep) => void) | null): void {
  startWatching = start;
}

let gradEnabled = true;

/** Whether ops currently record the graph. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` without recording the graph (like torch.no_grad), restoring the previous mode after. */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** Runs `fn` with graph recording switched on, even inside `noGrad` (like torch.enable_grad). */
export function enableGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = true;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/**
 * Attaches `backward` to `output` when recording is on and any input needs gradients.
 * Every differentiable op ends with this call, so forward and backward stand side by side.
 */
export function record(
  op: string,
  inputs: readonly Tensor[],
  output: Tensor,
  backward: (gradOutput: Tensor) => readonly (Tensor | null)[],
): Tensor {
  // Every differentiable op passes here, so this one check keeps int32 out of float math and gradients.
  if (!elementMovingOps.has(op)) for (const input of inputs) if (input.dtype === 'int32') assertFloat(op, 'int32');
  const timed = profileOp(op, backward); // while profiling: forward time charged, backward timed
  if (gradEnabled && inputs.some((t) => t.requiresGrad)) {
    output.requiresGrad = true;
    output.gradFn = { op, inputs, backward: timed };
  }
  return output;
}

/** Tensors reachable from `root` through graph edges that need gradients, in topological order. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative DFS so that deep graphs (hundreds of layers) cannot overflow the call stack.
  const stack: { tensor: Tensor; expanded: boolean }[] = [{ tensor: root, expanded: false }];
  while (stack.length > 0) {
    const frame = stack.pop() as { tensor: Tensor; expanded: boolean };
    if (frame.expanded) {
      order.push(frame.tensor);
      continue;
    }
    if (visited.has(frame.tensor)) continue;
    visited.add(frame.tensor);
    stack.push({ tensor: frame.tensor, expanded: true });
    for (const input of frame.tensor.gradFn?.inputs ?? []) {
      if (input.requiresGrad && !visited.has(input)) stack.push({ tensor: input, expanded: false });
    }
  }
  return order;
}

/** Sums two gradients of the same shape into new storage (fan-out accumulation). */
function addGradients(a: Tensor, b: Tensor): Tensor {
  const sum = a.clone();
  const out = sum.data;
  const other = b.data;
  for (let i = 0; i < out.length; i++) out[i] += other[i];
  return sum;
}

/** Implementation of `Tensor.backward`; see there. */
export function runBackward(root: Tensor, gradient: Tensor | undefined, retainGraph: boolean): void {
  if (!root.requiresGrad) {
    throw new Error('backward: tensor does not require grad and has no gradFn (did you set requiresGrad on an input?)');
  }
  let seed: Tensor;
  if (gradient === undefined) {
    if (root.size !== 1) {
      throw new Error(
        `backward: gradient can be implicit only for a one-element tensor, got shape ${formatShape(root.shape)}; pass a gradient`,
      );
    }
    seed = root.detach().clone();
    seed.data[0] = 1;
  } else {
    if (!shapesEqual(gradient.shape, root.shape)) {
      throw new Error(
        `backward: gradient has shape ${formatShape(gradient.shape)} but the tensor has shape ${formatShape(root.shape)}`,
      );
    }
    seed = gradient.detach();
  }

  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  const order = topologicalOrder(root);
  const watch = startWatching();
  noGrad(() => {
    for (let i = order.length - 1; i >= 0; i--) {
      const tensor = order[i];
      const grad = grads.get(tensor);
      if (grad === undefined) continue;
      grads.delete(tensor);
      const node = tensor.gradFn;
      const finished: Tensor[] = [];
      let stored: Tensor | null = null;
      if (node === null) {
        // A leaf: its gradient is stored (added to the one already there, if any).
        if (tensor.grad) finished.push(grad);
        tensor.grad = tensor.grad ? addGradients(tensor.grad, grad) : grad;
        stored = tensor.grad;
      } else {
        finished.push(grad, ...chainRule(node, grad, grads));
        if (!retainGraph) node.backward = null;
      }
      watch?.({ finished, stored, pending: grads.values() });
    }
  });
}

/**
 * Passes `grad` through `node`: each input's gradient is added to what `grads` holds for it.
 * Returns the gradients nobody reads any more: results for inputs that need none, dtype
 * conversions, and earlier sums replaced by a new one.
 */
function chainRule(node: GradNode, grad: Tensor, grads: Map<Tensor, Tensor>): Tensor[] {
  if (node.backward === null) {
    throw new Error(
      `backward: trying to backward through the graph a second time (at ${node.op}); its saved tensors were freed. ` +
        'Pass { retainGraph: true } to the first backward call.',
    );
  }
  const inputGrads = node.backward(grad);
  const finished: Tensor[] = [];
  node.inputs.forEach((input, k) => {
    const inputGrad = inputGrads[k];
    if (inputGrad === null || inputGrad === undefined) return;
    if (!input.requiresGrad) {
      finished.push(inputGrad);
      return;
    }
    if (!shapesEqual(inputGrad.shape, input.shape)) {
      throw new Error(
        `${node.op} backward: gradient for input ${k} has shape ${formatShape(inputGrad.shape)} ` +
          `but the input has shape ${formatShape(input.shape)}`,
      );
    }
    // A gradient always has its tensor's dtype, even where the op computed in a wider one.
    const typed = inputGrad.dtype === input.dtype ? inputGrad : inputGrad.clone(input.dtype);
    const previous = grads.get(input);
    const next = previous ? addGradients(previous, typed) : typed;
    grads.set(input, next);
    if (previous) finished.push(previous);
    if (typed !== next) finished.push(typed);
    if (inputGrad !== typed) finished.push(inputGrad);
  });
  return finished;
}
