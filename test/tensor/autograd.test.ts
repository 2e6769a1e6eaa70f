import { describe, expect, test } from 'vitest';
import { add, mul } from '../../src/ops/index.js';
import { record } from '../../src/tensor/autograd.js';
import { noGrad, Tensor, tensor } from '../../src/tensor/index.js';

describe('autograd engine', () => {
  test('fan-out: a tensor used twice receives the sum of both gradients', () => {
    const x = tensor([2, 3], { requiresGrad: true });
    // y = x*x + x  ->  dy/dx = 2x + 1
    add(mul(x, x), x).backward(tensor([1, 1]));
    expect(x.grad?.toArray()).toEqual([5, 7]);
  });

  test('a branch that does not reach the loss neither blocks nor corrupts the others', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const deadBranch = mul(x, 100);
    const loss = mul(x, 3);
    loss.backward(tensor([1, 1]));
    expect(x.grad?.toArray()).toEqual([3, 3]);
    expect(deadBranch.requiresGrad).toBe(true);
  });

  test('gradients accumulate across backward calls into leaves', () => {
    const x = tensor([1], { requiresGrad: true });
    mul(x, 2).backward();
    mul(x, 5).backward();
    expect(x.grad?.item()).toBe(7);
    x.zeroGrad();
    expect(x.grad).toBeNull();
  });

  test('a second backward through a freed graph throws; retainGraph allows it', () => {
    const x = tensor([1], { requiresGrad: true });
    const y = mul(mul(x, x), 3);
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(x.grad?.item()).toBe(12);
    expect(() => y.backward()).toThrow('backward through the graph a second time');
  });

  test('noGrad records nothing and detach cuts the graph', () => {
    const x = tensor([1], { requiresGrad: true });
    expect(noGrad(() => mul(x, 2)).requiresGrad).toBe(false);
    expect(mul(x.detach(), 2).requiresGrad).toBe(false);
  });

  test('implicit gradient needs a one-element tensor', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => mul(x, 2).backward()).toThrow('backward: gradient can be implicit only for a one-element tensor');
  });

  test('a gradient of the wrong shape is rejected naming the op', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = record('brokenOp', [x], new Tensor(new Float32Array(2), [2]), () => [tensor([1, 2, 3])]);
    expect(() => y.backward(tensor([1, 1]))).toThrow(
      'brokenOp backward: gradient for input 0 has shape [3] but the input has shape [2]',
    );
  });

  test('deep chains do not overflow the stack', () => {
    const x = tensor([1], { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 20000; i++) y = add(y, 1);
    y.backward();
    expect(x.grad?.item()).toBe(1);
  });
});
