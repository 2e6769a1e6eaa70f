import { describe, expect, test } from 'vitest';
import { formatGraph, graphNodes, tensor, toDot, toSvg } from '../../src/index.js';

function smallGraph() {
  const x = tensor([1, 2, 3], { requiresGrad: true });
  const w = tensor([0.5, -1, 2], { requiresGrad: true });
  const loss = x.mul(w).add(x).sum();
  return { x, w, loss };
}

describe('graph view', () => {
  test('the listing shows each tensor once, inputs before the ops that use them, with op names and shapes', () => {
    const { x, w, loss } = smallGraph();
    expect(formatGraph(loss, { names: { x, w } })).toBe(
      [
        '#0 x = leaf [3] float32',
        '#1 w = leaf [3] float32',
        '#2 mul(#0, #1) [3] float32',
        '#3 add(#2, #0) [3] float32',
        '#4 sum(#3) [] float32',
      ].join('\n'),
    );
  });

  test('inputs that need no gradient are constants, scalar constants show their value', () => {
    const x = tensor([[1, 2]], { requiresGrad: true, dtype: 'float64' });
    const text = formatGraph(x.mul(3).sub(tensor([1, 1], { dtype: 'float64' })));
    expect(text.split('\n')).toEqual([
      '#0 leaf [1, 2] float64',
      '#1 const 3 [] float64',
      '#2 mul(#0, #1) [1, 2] float64',
      '#3 const [2] float64',
      '#4 sub(#2, #3) [1, 2] float64',
    ]);
  });

  test('DOT has one node per tensor and one edge per op input', () => {
    const { x, w, loss } = smallGraph();
    const dot = toDot(loss, { names: { x, w } });
    expect(dot.startsWith('digraph autograd {')).toBe(true);
    expect(dot.match(/^ {2}n\d+ \[label=/gm)).toHaveLength(5);
    expect(dot.match(/->/g)).toHaveLength(5);
    expect(dot).toContain('n0 [label="x (leaf) [3] float32", shape=ellipse]');
    expect(dot).toContain('n0 -> n3;');
  });

  test('the SVG draws a box per tensor in layers by depth and an arrow per edge', () => {
    const { loss } = smallGraph();
    const svg = toSvg(loss);
    expect(svg.match(/<rect x=/g)).toHaveLength(5);
    expect(svg.match(/<line /g)).toHaveLength(5);
    const depths = graphNodes(loss).map((n) => n.depth);
    expect(depths).toEqual([0, 0, 1, 2, 3]);
  });

  test('a 20,000-op chain does not overflow the stack', () => {
    let y = tensor([1], { requiresGrad: true });
    for (let i = 0; i < 20_000; i++) y = y.mul(1.0001);
    const nodes = graphNodes(y);
    expect(nodes).toHaveLength(40_001);
    expect(nodes.at(-1)?.depth).toBe(20_000);
  });
});
