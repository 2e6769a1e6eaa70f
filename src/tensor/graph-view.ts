import { formatShape } from './shape.js';
import type { Tensor } from './tensor.js';

/**
 * Views of the autograd graph for teaching and debugging: a text listing, Graphviz DOT, and a
 * dependency-free SVG. Nodes are tensors; an op node's edges point from its inputs to it, which is
 * the order forward ran in (backward walks them the other way).
 */

/** Options of the graph views. */
export interface GraphViewOptions {
  /** Labels for tensors you know by name (leaves such as `{ x, weight }`). */
  names?: Readonly<Record<string, Tensor>>;
}

/** One tensor of the graph, numbered in topological order (inputs before the ops that use them). */
export interface GraphNodeView {
  /** Position in the listing (`#id`). */
  readonly id: number;
  /** The tensor itself. */
  readonly tensor: Tensor;
  /** The producing op, 'leaf' for a tensor that needs gradients, 'const' for one that does not. */
  readonly op: string;
  /** Ids of the op's inputs, in argument order. */
  readonly inputs: readonly number[];
  /** Length of the longest input chain below this node (0 for leaves): its layer in the SVG. */
  readonly depth: number;
  /** The label given in {@link GraphViewOptions.names}, or null. */
  readonly name: string | null;
}

/** Every tensor reachable from `root` through gradFn inputs, inputs first, root last. */
export function graphNodes(root: Tensor, options: GraphViewOptions = {}): GraphNodeView[] {
  const nameOf = new Map<Tensor, string>();
  for (const [name, t] of Object.entries(options.names ?? {})) nameOf.set(t, name);
  const ids = new Map<Tensor, number>();
  const nodes: GraphNodeView[] = [];
  // Iterative post-order so that deep networks cannot overflow the stack.
  const stack: { tensor: Tensor; expanded: boolean }[] = [{ tensor: root, expanded: false }];
  while (stack.length > 0) {
    const frame = stack.pop() as { tensor: Tensor; expanded: boolean };
    const { tensor } = frame;
    if (ids.has(tensor)) continue;
    const inputs = tensor.gradFn?.inputs ?? [];
    if (!frame.expanded) {
      stack.push({ tensor, expanded: true });
      for (let i = inputs.length - 1; i >= 0; i--)
        if (!ids.has(inputs[i])) stack.push({ tensor: inputs[i], expanded: false });
      continue;
    }
    const inputIds = inputs.map((input) => ids.get(input) as number);
    const depth = inputIds.reduce((d, id) => Math.max(d, nodes[id].depth + 1), 0);
    const op = tensor.gradFn?.op ?? (tensor.requiresGrad ? 'leaf' : 'const');
    ids.set(tensor, nodes.length);
    nodes.push({ id: nodes.length, tensor, op, inputs: inputIds, depth, name: nameOf.get(tensor) ?? null });
  }
  return nodes;
}

/** The op, with the value of a one-element constant (scalar operands such as the 2 in `pow(x, 2)`). */
function opLabel(node: GraphNodeView): string {
  return node.op === 'const' && node.tensor.size === 1 ? `const ${node.tensor.data[0]}` : node.op;
}

/** A node's one-line description: name or op, shape, dtype. */
function describe(node: GraphNodeView): string {
  const label = node.name ? `${node.name} (${opLabel(node)})` : opLabel(node);
  return `${label} ${formatShape(node.tensor.shape)} ${node.tensor.dtype}`;
}

/**
 * The graph as a listing in the order forward ran, one tensor a line:
 * `#3 mul(#1, #2) [2, 3] float32`. Leaves that need gradients say `leaf`, other inputs `const`.
 */
export function formatGraph(root: Tensor, options: GraphViewOptions = {}): string {
  return graphNodes(root, options)
    .map((node) => {
      const args = node.inputs.length > 0 ? `(${node.inputs.map((id) => `#${id}`).join(', ')})` : '';
      const label = node.name ? `${node.name} = ${opLabel(node)}` : opLabel(node);
      return `#${node.id} ${label}${args} ${formatShape(node.tensor.shape)} ${node.tensor.dtype}`;
    })
    .join('\n');
}

/** Prints {@link formatGraph}'s listing to the console and returns it. */
export function printGraph(root: Tensor, options: GraphViewOptions = {}): string {
  const text = formatGraph(root, options);
  console.log(text);
  return text;
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The graph in Graphviz DOT (render with `dot -Tsvg`); leaves are ellipses, ops boxes. */
export function toDot(root: Tensor, options: GraphViewOptions = {}): string {
  const lines = ['digraph autograd {', '  rankdir=BT;', '  node [fontname="Helvetica", fontsize=11];'];
  const nodes = graphNodes(root, options);
  for (const node of nodes) {
    const shape = node.inputs.length > 0 ? 'box' : 'ellipse';
    const style = node.op === 'const' ? ', style=dashed' : '';
    lines.push(`  n${node.id} [label=${quote(describe(node))}, shape=${shape}${style}];`);
  }
  for (const node of nodes) for (const input of node.inputs) lines.push(`  n${input} -> n${node.id};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The graph as a standalone SVG without Graphviz: one row per depth (leaves at the bottom, the
 * root at the top), nodes spread evenly in each row, straight arrows from inputs to ops. Arrows
 * that skip a row may pass behind a box; for large graphs use {@link toDot} with Graphviz.
 */
export function toSvg(root: Tensor, options: GraphViewOptions = {}): string {
  const nodes = graphNodes(root, options);
  const maxDepth = nodes.reduce((d, node) => Math.max(d, node.depth), 0);
  const rows: GraphNodeView[][] = Array.from({ length: maxDepth + 1 }, () => []);
  for (const node of nodes) rows[node.depth].push(node);
  const boxWidth = Math.max(...nodes.map((node) => describe(node).length)) * 7 + 16;
  const boxHeight = 28;
  const gapX = 24;
  const gapY = 56;
  const widest = Math.max(...rows.map((row) => row.length));
  const width = widest * (boxWidth + gapX) + gapX;
  const height = rows.length * (boxHeight + gapY) + gapY - boxHeight;
  const centre = new Map<number, [number, number]>();
  rows.forEach((row, depth) => {
    const rowWidth = row.length * (boxWidth + gapX) - gapX;
    row.forEach((node, i) => {
      const x = (width - rowWidth) / 2 + i * (boxWidth + gapX) + boxWidth / 2;
      const y = height - gapY / 2 - depth * (boxHeight + gapY) - boxHeight / 2;
      centre.set(node.id, [x, y]);
    });
  });
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="12">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  for (const node of nodes) {
    const [x2, y2] = centre.get(node.id) as [number, number];
    for (const input of node.inputs) {
      const [x1, y1] = centre.get(input) as [number, number];
      parts.push(
        `<line x1="${x1}" y1="${y1 - boxHeight / 2}" x2="${x2}" y2="${y2 + boxHeight / 2}" stroke="#555" marker-end="url(#arrow)"/>`,
      );
    }
  }
  for (const node of nodes) {
    const [x, y] = centre.get(node.id) as [number, number];
    const fill = node.inputs.length > 0 ? '#e8f0fe' : node.op === 'leaf' ? '#fff4d6' : '#f2f2f2';
    const radius = node.inputs.length > 0 ? 3 : 14;
    parts.push(
      `<rect x="${x - boxWidth / 2}" y="${y - boxHeight / 2}" width="${boxWidth}" height="${boxHeight}" rx="${radius}" fill="${fill}" stroke="#333"/>`,
      `<text x="${x}" y="${y + 4}" text-anchor="middle">${escapeXml(describe(node))}</text>`,
    );
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
