/**
 * Rebuilds the Markdown summary and the crossover chart of an earlier run from its JSON, so old
 * results can be re-rendered after the report format changes:
 *   npx tsx bench/summarize.ts bench/results/<date>-<name>.json
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { crossoverChart } from './lib/crossover-chart.js';
import { type BenchReport, writeTextAtomic } from './lib/results.js';
import { summaryMarkdown } from './lib/summary.js';

const path = process.argv[2];
if (!path?.endsWith('.json')) {
  console.error('usage: npx tsx bench/summarize.ts bench/results/<date>-<name>.json');
  process.exit(1);
}
const report = JSON.parse(readFileSync(path, 'utf8')) as BenchReport;
const stem = path.slice(0, -'.json'.length);
const chart = crossoverChart(report.kernels);
if (chart) writeTextAtomic(`${stem}-matmul-crossover.svg`, chart);
writeTextAtomic(`${stem}.md`, summaryMarkdown(report, chart ? `${basename(stem)}-matmul-crossover.svg` : null));
console.log(`wrote ${stem}.md${chart ? ` and ${stem}-matmul-crossover.svg` : ''}`);
