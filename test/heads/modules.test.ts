import { describe, expect, test } from 'vitest';
import { ArcFace, arcFaceLogits, CosFace, cosFaceLogits } from '../../src/heads/index.js';
import { tensor } from '../../src/tensor/index.js';
import { Generator } from '../../src/tensor/random.js';

const embeddings = tensor([
  [0.3, -1.2, 0.5, 2.0],
  [1.1, 0.4, -0.7, 0.2],
  [-0.5, 0.9, 1.3, -0.4],
]);

describe('CosFace and ArcFace modules', () => {
  test.each([
    ['CosFace', (g: Generator) => new CosFace(4, 6, { generator: g })],
    ['ArcFace', (g: Generator) => new ArcFace(4, 6, { generator: g })],
  ] as const)('%s has one "weight" parameter [classes, inFeatures], Xavier-uniform, as in the recipe', (_, make) => {
    const head = make(new Generator(5));
    expect(head.namedParameters().map(([name, p]) => [name, p.shape])).toEqual([['weight', [6, 4]]]);
    expect([...head.stateDict().keys()]).toEqual(['weight']);
    expect(head.weight.requiresGrad).toBe(true);
    const bound = Math.sqrt(6 / (4 + 6));
    for (const v of head.weight.data) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    // Spread over the interval, not a constant: the sample standard deviation of U(-b, b) is b / sqrt(3).
    const values = Array.from(head.weight.data);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    expect(sd).toBeGreaterThan(bound / Math.sqrt(3) / 2);
    // Same generator seed, same weights.
    expect(Array.from(make(new Generator(5)).weight.data)).toEqual(values);
  });

  test('forward equals the logit functions with the module options', () => {
    const labels = [5, 0, 3];
    const cos = new CosFace(4, 6, { s: 16, m: 0.25, generator: new Generator(1) });
    expect(Array.from(cos.forward(embeddings, labels).data)).toEqual(
      Array.from(cosFaceLogits(embeddings, cos.weight, labels, { s: 16, m: 0.25 }).data),
    );
    const arc = new ArcFace(4, 6, { s: 64, m: 0.3, easyMargin: true, generator: new Generator(1) });
    expect(Array.from(arc.forward(embeddings, labels).data)).toEqual(
      Array.from(arcFaceLogits(embeddings, arc.weight, labels, { s: 64, m: 0.3, easyMargin: true }).data),
    );
    expect([cos.s, cos.m, arc.s, arc.m, arc.easyMargin]).toEqual([16, 0.25, 64, 0.3, true]);
  });

  test("defaults are the reference recipe's: CosFace s=30 m=0.4, ArcFace s=30 m=0.5 without easy margin", () => {
    const cos = new CosFace(4, 2);
    const arc = new ArcFace(4, 2);
    expect([cos.s, cos.m, arc.s, arc.m, arc.easyMargin]).toEqual([30, 0.4, 30, 0.5, false]);
  });

  test('a training step moves the class weights (gradients reach the parameter)', () => {
    const head = new ArcFace(4, 6, { generator: new Generator(2) });
    head.forward(embeddings, [1, 2, 3]).sum().backward();
    expect(head.weight.grad?.shape).toEqual([6, 4]);
    expect(head.weight.grad?.data.some((v) => v !== 0)).toBe(true);
  });
});

describe('labels: number arrays, Int32Arrays and integer tensors, validated against the classes', () => {
  const head = new ArcFace(4, 6, { generator: new Generator(3) });
  test('all three label forms give the same logits', () => {
    const fromArray = head.forward(embeddings, [5, 0, 3]).data;
    expect(Array.from(head.forward(embeddings, Int32Array.from([5, 0, 3])).data)).toEqual(Array.from(fromArray));
    expect(Array.from(head.forward(embeddings, tensor([5, 0, 3])).data)).toEqual(Array.from(fromArray));
  });

  test('bad labels get errors naming the head, the argument and the expected range', () => {
    expect(() => head.forward(embeddings, [5, 0, 6])).toThrow('ArcFace: labels 6 out of range for 6 classes');
    expect(() => head.forward(embeddings, [5, -1, 2])).toThrow('ArcFace: labels -1 out of range for 6 classes');
    expect(() => head.forward(embeddings, [5, 0.5, 2])).toThrow('ArcFace: labels must hold integers, got 0.5');
    expect(() => head.forward(embeddings, [5, 0])).toThrow('ArcFace: got 2 labels for a batch of 3');
    expect(() => head.forward(embeddings, tensor([[5, 0, 3]]))).toThrow(
      'ArcFace: labels must be 1-D [batch], got shape [1, 3]',
    );
    expect(() => new CosFace(4, 6).forward(embeddings, [7, 0, 1])).toThrow(
      'CosFace: labels 7 out of range for 6 classes',
    );
  });

  test('bad shapes and options get clear errors', () => {
    expect(() => head.forward(tensor([1, 2, 3, 4]), [0])).toThrow(
      'ArcFace: embeddings must be a 2-D tensor [batch, features], got [4]',
    );
    expect(() => head.forward(tensor([[1, 2, 3]]), [0])).toThrow(
      'ArcFace: embeddings have 3 features but weight [6, 4] expects 4',
    );
    expect(() => new ArcFace(4, 6, { m: 4 })).toThrow('ArcFace: m must be a finite number in [0, 3.14');
    expect(() => new ArcFace(4, 6, { s: 0 })).toThrow('ArcFace: s must be a finite number');
    expect(() => new CosFace(4, 0)).toThrow('CosFace: classes must be a positive integer, got 0');
  });
});
