/** One line of a chart. */
export interface ChartSeries {
  readonly name: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly color: string;
  /** SVG stroke-dasharray, e.g. '6 4'. */
  readonly dash?: string;
  /** Draw a dot on every point (for short series such as loss per epoch). */
  readonly markers?: boolean;
  /** Line width in pixels (default 2) and opacity (default 1). */
  readonly width?: number;
  readonly opacity?: number;
}

/** A shaded vertical band, e.g. the region where ArcFace falls back. */
export interface ChartBand {
  readonly from: number;
  readonly to: number;
  /** Label drawn inside the band near its top; '\n' separates lines. */
  readonly label: string;
  readonly color: string;
}

/** What a line chart shows. */
export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  readonly bands?: readonly ChartBand[];
  /** Axis ranges; default: the data's extent. */
  readonly xRange?: readonly [number, number];
  readonly yRange?: readonly [number, number];
  readonly width?: number;
  readonly height?: number;
  /** Corner of the plot area that holds the legend (default top-right). */
  readonly legend?: 'top-right' | 'top-left' | 'bottom-right' | 'bottom-left';
}

const margin = { left: 64, right: 20, top: 40, bottom: 52 };

/** Renders a line chart as a standalone SVG document (axes, ticks, legend, bands). */
export function lineChartSvg(chart: LineChart): string {
  const width = chart.width ?? 640;
  const height = chart.height ?? 420;
  const [x0, x1] = chart.xRange ?? extent(chart.series.map((s) => s.x));
  const [y0, y1] = chart.yRange ?? padRange(extent(chart.series.map((s) => s.y)));
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const sx = (x: number): number => margin.left + ((x - x0) / (x1 - x0 || 1)) * plotWidth;
  const sy = (y: number): number => margin.top + (1 - (y - y0) / (y1 - y0 || 1)) * plotHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(chart.title)}</text>`,
  ];
  for (const band of chart.bands ?? []) {
    const left = sx(Math.max(band.from, x0));
    const right = sx(Math.min(band.to, x1));
    parts.push(
      `<rect x="${fmt(left)}" y="${margin.top}" width="${fmt(right - left)}" height="${plotHeight}" fill="${band.color}" opacity="0.25"/>`,
    );
    const lines = band.label.split('\n');
    lines.forEach((line, i) => {
      const y = margin.top + 16 + i * 14;
      parts.push(
        `<text x="${fmt((left + right) / 2)}" y="${y}" text-anchor="middle" font-size="11" fill="#444">${escapeXml(line)}</text>`,
      );
    });
  }
  for (const tick of niceTicks(x0, x1)) {
    parts.push(
      `<line x1="${fmt(sx(tick))}" y1="${margin.top}" x2="${fmt(sx(tick))}" y2="${margin.top + plotHeight}" stroke="#eee"/>`,
      `<text x="${fmt(sx(tick))}" y="${margin.top + plotHeight + 18}" text-anchor="middle">${formatTick(tick)}</text>`,
    );
  }
  for (const tick of niceTicks(y0, y1)) {
    parts.push(
      `<line x1="${margin.left}" y1="${fmt(sy(tick))}" x2="${margin.left + plotWidth}" y2="${fmt(sy(tick))}" stroke="#eee"/>`,
      `<text x="${margin.left - 6}" y="${fmt(sy(tick) + 4)}" text-anchor="end">${formatTick(tick)}</text>`,
    );
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#333"/>`,
    `<text x="${margin.left + plotWidth / 2}" y="${height - 12}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
    `<text x="16" y="${margin.top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 16 ${margin.top + plotHeight / 2})">${escapeXml(chart.yLabel)}</text>`,
  );
  const legendWidth = 190;
  const legendLeft = (chart.legend ?? 'top-right').endsWith('left')
    ? margin.left + 12
    : margin.left + plotWidth - legendWidth;
  const legendTop = (chart.legend ?? 'top-right').startsWith('top')
    ? margin.top + 14
    : margin.top + plotHeight - 10 - (chart.series.length - 1) * 18;
  chart.series.forEach((series, i) => {
    const points = Array.from({ length: series.x.length }, (_, k) => `${fmt(sx(series.x[k]))},${fmt(sy(series.y[k]))}`);
    const dash = series.dash ? ` stroke-dasharray="${series.dash}"` : '';
    const style = ` stroke-width="${series.width ?? 2}"${series.opacity === undefined ? '' : ` stroke-opacity="${series.opacity}"`}`;
    parts.push(`<polyline fill="none" stroke="${series.color}"${style}${dash} points="${points.join(' ')}"/>`);
    if (series.markers) {
      for (const point of points) {
        const [cx, cy] = point.split(',');
        parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${series.color}"/>`);
      }
    }
    const legendY = legendTop + i * 18;
    const legendX = legendLeft;
    parts.push(
      `<line x1="${legendX}" y1="${legendY - 4}" x2="${legendX + 24}" y2="${legendY - 4}" stroke="${series.color}"${style}${dash}/>`,
      `<text x="${legendX + 30}" y="${legendY}">${escapeXml(series.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function extent(arrays: readonly ArrayLike<number>[]): [number, number] {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) continue;
      low = Math.min(low, values[i]);
      high = Math.max(high, values[i]);
    }
  }
  if (low > high) throw new Error('lineChartSvg: no finite data to plot');
  return low === high ? [low - 1, high + 1] : [low, high];
}

function padRange([low, high]: [number, number]): [number, number] {
  const pad = (high - low) * 0.05;
  return [low - pad, high + pad];
}

/** About five round tick values (1, 2 or 5 times a power of ten apart) within [low, high]. */
function niceTicks(low: number, high: number): number[] {
  const raw = (high - low) / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step)
    ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return ticks;
}

function formatTick(value: number): string {
  return Number.parseFloat(value.toPrecision(4)).toString();
}

function fmt(value: number): string {
  return value.toFixed(1);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
