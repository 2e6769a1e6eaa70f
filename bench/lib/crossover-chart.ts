import type { KernelRow } from './results.js';
import { squareSides } from './workloads.js';

/** Series colours, one per backend in order of first appearance. */
const palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#17becf', '#7f7f7f'];

/** Where each gpu.js backend first beats the CPU backend on square matmuls, or null if it never does. */
export function matmulCrossovers(rows: readonly KernelRow[]): { backend: string; side: number | null }[] {
  const square = rows.filter((row) => row.kernel === 'matmul' && row.label === 'square' && row.status === 'ok');
  const cpu = new Map(
    square.filter((row) => row.backend === 'cpu' && row.engine === 'arcgrad').map((row) => [row.shape, row]),
  );
  const gpuBackends = [...new Set(square.filter((row) => row.backend.startsWith('gpu.js')).map((row) => row.backend))];
  return gpuBackends.map((backend) => {
    const side = squareSides.find((s) => {
      const gpu = square.find((row) => row.backend === backend && row.shape === `${s}x${s}x${s}`);
      const reference = cpu.get(`${s}x${s}x${s}`);
      return gpu?.timing && reference?.timing ? gpu.timing.meanMs < reference.timing.meanMs : false;
    });
    return { backend, side: side ?? null };
  });
}

/** The largest square side a backend ran (rows beyond it were skipped or failed). */
function largestSide(square: readonly KernelRow[], backend: string): number {
  return Math.max(0, ...square.filter((row) => row.backend === backend).map((row) => Number(row.shape.split('x')[0])));
}

/**
 * An SVG line chart (log-log) of steady-state time over square matmul size, one line per backend,
 * with each gpu.js backend's crossover against arcgrad's CPU backend written in the legend.
 * Returns null when no square matmul ran.
 */
export function crossoverChart(
  rows: readonly KernelRow[],
  title = 'Square matmul: steady-state time per call',
): string | null {
  const square = rows.filter(
    (row) => row.kernel === 'matmul' && row.label === 'square' && row.status === 'ok' && row.timing,
  );
  if (square.length === 0) return null;
  const backends = [...new Set(square.map((row) => row.backend))];
  const width = 760;
  const height = 460;
  const left = 70;
  const right = 250;
  const top = 40;
  const bottom = 60;
  const times = square.map((row) => row.timing?.meanMs ?? 1);
  const minLog = Math.floor(Math.log10(Math.min(...times)));
  const maxLog = Math.ceil(Math.log10(Math.max(...times)));
  const x = (side: number) =>
    left +
    ((Math.log2(side) - Math.log2(squareSides[0])) /
      (Math.log2(squareSides[squareSides.length - 1] ?? 1024) - Math.log2(squareSides[0]))) *
      (width - left - right);
  const y = (ms: number) =>
    top + (1 - (Math.log10(ms) - minLog) / Math.max(maxLog - minLog, 1)) * (height - top - bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="bold">${title}</text>`,
  ];
  for (let power = minLog; power <= maxLog; power++) {
    const ty = y(10 ** power);
    parts.push(`<line x1="${left}" y1="${ty}" x2="${width - right}" y2="${ty}" stroke="#ddd"/>`);
    parts.push(
      `<text x="${left - 8}" y="${ty + 4}" text-anchor="end">${10 ** power >= 1 ? 10 ** power : (10 ** power).toPrecision(1)} ms</text>`,
    );
  }
  for (const side of squareSides) {
    const tx = x(side);
    parts.push(`<line x1="${tx}" y1="${top}" x2="${tx}" y2="${height - bottom}" stroke="#eee"/>`);
    parts.push(`<text x="${tx}" y="${height - bottom + 18}" text-anchor="middle">${side}</text>`);
  }
  parts.push(
    `<text x="${(left + width - right) / 2}" y="${height - 18}" text-anchor="middle">matrix side n (n x n x n, log scale)</text>`,
  );
  const crossovers = new Map(matmulCrossovers(rows).map((entry) => [entry.backend, entry.side]));
  backends.forEach((backend, index) => {
    const colour = palette[index % palette.length];
    const points = square
      .filter((row) => row.backend === backend)
      .map((row) => [x(Number(row.shape.split('x')[0])), y(row.timing?.meanMs ?? 1)] as const);
    const dash = backend.startsWith('gpu.js') ? '' : backend === 'cpu' ? '' : ' stroke-dasharray="5,4"';
    parts.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="2"${dash} points="${points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ')}"/>`,
    );
    for (const [px, py] of points)
      parts.push(`<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="3" fill="${colour}"/>`);
    const ly = top + 10 + index * 36;
    const crossover = crossovers.get(backend);
    const note =
      crossover === undefined
        ? ''
        : crossover === null
          ? `slower than cpu up to n = ${largestSide(square, backend)}`
          : `beats cpu from n = ${crossover}`;
    parts.push(
      `<line x1="${width - right + 15}" y1="${ly}" x2="${width - right + 40}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash}/>`,
    );
    parts.push(
      `<text x="${width - right + 46}" y="${ly + 4}">${backend === 'cpu' ? 'arcgrad cpu' : backend.startsWith('gpu.js') ? `arcgrad ${backend}` : backend}</text>`,
    );
    if (note) parts.push(`<text x="${width - right + 46}" y="${ly + 18}" fill="#555" font-size="11">${note}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
