import { graphExample } from './graph-example.js';
import type { KernelTiming } from './kernel-bench.js';
import { marginCharts } from './margin-curves.js';
import { defaultSettings, type FromEngine, type PlaygroundSettings } from './messages.js';

/**
 * The playground page: four tabs. Training runs in engine-worker.js (stopping terminates that worker,
 * and every run starts a new one), as do the kernel benchmarks; the margin explorer and the graph
 * are computed on the page itself (small float64 problems, one thread is plenty).
 */

const form = document.querySelector('#settings') as HTMLFormElement;
const startButton = document.querySelector('#start') as HTMLButtonElement;
const stopButton = document.querySelector('#stop') as HTMLButtonElement;
const field = (id: string) => document.querySelector(`#${id}`) as HTMLElement;
let engine: Worker | null = null;

for (const [name, value] of Object.entries(defaultSettings)) {
  const input = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
  if (input) input.value = String(value);
}

function readSettings(): PlaygroundSettings {
  const data = new FormData(form);
  const number = (name: keyof PlaygroundSettings) => Number(data.get(name));
  return {
    backend: data.get('backend') === 'webgl2' ? 'webgl2' : data.get('backend') === 'webgpu' ? 'webgpu' : 'cpu',
    identities: number('identities'),
    imagesPerIdentity: number('imagesPerIdentity'),
    testIdentities: number('testIdentities'),
    side: number('side'),
    epochs: number('epochs'),
    batchSize: number('batchSize'),
    lr: number('lr'),
    variation: number('variation'),
    seed: number('seed'),
  };
}

function setStatus(text: string, error = false): void {
  const status = field('status');
  status.textContent = text;
  status.className = error ? 'error' : '';
  document.body.dataset.state = error ? 'error' : document.body.dataset.state;
}

function drawFaces(side: number, columns: number, pixels: Float32Array[]): void {
  const canvas = document.createElement('canvas');
  canvas.width = columns * side;
  canvas.height = Math.ceil(pixels.length / columns) * side;
  const context = canvas.getContext('2d') as CanvasRenderingContext2D;
  pixels.forEach((face, i) => {
    const image = context.createImageData(side, side);
    for (let p = 0; p < face.length; p++) {
      const gray = Math.round(Math.min(1, Math.max(0, face[p])) * 255);
      image.data.set([gray, gray, gray, 255], p * 4);
    }
    context.putImageData(image, (i % columns) * side, Math.floor(i / columns) * side);
  });
  field('faces').replaceChildren(canvas);
}

function showReport(message: Extract<FromEngine, { type: 'report' }>): void {
  const rows: [string, string][] = [
    ['10-fold accuracy', `${(message.kfoldAccuracy * 100).toFixed(1)}% ± ${(message.kfoldStd * 100).toFixed(1)}`],
    ['ROC AUC', message.auc.toFixed(4)],
    ...message.tarAtFar.map(({ far, tar }): [string, string] => [`TAR at FAR ${far}`, `${(tar * 100).toFixed(1)}%`]),
    ['pairs', String(message.pairs)],
    ['time', `${message.seconds.toFixed(1)} s`],
  ];
  field('report').replaceChildren(
    ...rows.flatMap(([name, value]) => {
      const term = document.createElement('dt');
      term.textContent = name;
      const detail = document.createElement('dd');
      detail.textContent = value;
      return [term, detail];
    }),
  );
  field('roc').innerHTML = message.rocSvg;
}

function onMessage(message: FromEngine): void {
  switch (message.type) {
    case 'ready':
      field('kernel-class').textContent = message.kernelClass;
      field('renderer').textContent = message.renderer ?? '-';
      field('threads').textContent = message.threads;
      setStatus('training');
      break;
    case 'faces':
      drawFaces(message.side, message.columns, message.pixels);
      break;
    case 'step':
      field('step').textContent = `${message.step} of ${message.steps} (epoch ${message.epoch + 1})`;
      field('loss').textContent = message.loss.toFixed(4);
      field('speed').textContent = message.imagesPerSecond.toFixed(1);
      field('loss-curve').innerHTML = message.lossSvg;
      // The losses so far, for scripts that drive the page (the browser tests read them).
      field('loss-curve').dataset.losses = `${field('loss-curve').dataset.losses ?? ''} ${message.loss}`.trim();
      break;
    case 'phase':
      setStatus(message.text);
      break;
    case 'report':
      showReport(message);
      setStatus('done');
      finish('done');
      break;
    case 'error':
      setStatus(`error: ${message.text}`, true);
      finish('error');
      break;
  }
}

function finish(state: string): void {
  engine?.terminate();
  engine = null;
  startButton.disabled = false;
  stopButton.disabled = true;
  document.body.dataset.state = state;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  finish('starting');
  for (const id of ['report', 'roc', 'loss-curve', 'faces']) field(id).replaceChildren();
  for (const id of ['kernel-class', 'renderer', 'threads', 'step', 'loss', 'speed']) field(id).textContent = '-';
  delete field('loss-curve').dataset.losses;
  engine = new Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module' });
  engine.onmessage = (message: MessageEvent<FromEngine>) => onMessage(message.data);
  engine.onerror = (event) => {
    setStatus(`error: the engine worker failed: ${event.message}`, true);
    finish('error');
  };
  engine.postMessage({ type: 'start', settings: readSettings() });
  startButton.disabled = true;
  stopButton.disabled = false;
  document.body.dataset.state = 'running';
  setStatus(
    crossOriginIsolated ? 'starting the engine' : 'starting the engine (page not cross-origin isolated: one thread)',
  );
});

stopButton.addEventListener('click', () => {
  finish('stopped');
  setStatus('stopped (Train starts a new run)');
});

const tabs = Array.from(document.querySelectorAll<HTMLButtonElement>('nav [role=tab]'));
for (const tab of tabs) {
  tab.addEventListener('click', () => {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute('aria-selected', String(selected));
      field(`tab-${other.dataset.tab}`).hidden = !selected;
    }
  });
}

function drawMargins(): void {
  const value = (id: string) => {
    const input = document.querySelector(`#${id}`) as HTMLInputElement;
    field(`${id}-value`).textContent = input.value;
    return Number(input.value);
  };
  const charts = marginCharts(value('margin-s'), value('margin-cos'), value('margin-m'));
  field('margin-logits').innerHTML = charts.logits;
  field('margin-slopes').innerHTML = charts.slopes;
}
for (const id of ['margin-s', 'margin-m', 'margin-cos']) field(id).addEventListener('input', drawMargins);
drawMargins();

const graph = graphExample();
field('graph-svg').innerHTML = graph.svg;
field('graph-gradients').textContent = Object.entries(graph.gradients)
  .map(([name, values]) => `d loss / d ${name} = [${values.join(', ')}]`)
  .join('\n');

const benchButton = document.querySelector('#bench-start') as HTMLButtonElement;
benchButton.addEventListener('click', () => {
  benchButton.disabled = true;
  const rows = new Map<string, Map<string, KernelTiming>>();
  const classes = new Map<string, string>();
  const body = document.querySelector('#bench-table tbody') as HTMLTableSectionElement;
  body.replaceChildren();
  field('bench-status').textContent = 'running (a few seconds per backend)';
  document.body.dataset.bench = 'running';
  const worker = new Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module' });
  const render = () => {
    body.replaceChildren(
      ...[...rows].map(([problem, byBackend]) => {
        const row = document.createElement('tr');
        const cells = [
          problem,
          ...['cpu', 'webgl2', 'webgpu'].map((b) => {
            const timing = byBackend.get(b);
            if (timing === undefined) return '';
            return timing.meanMs === 0 ? 'n/a' : `${timing.gflops.toFixed(2)} (${timing.meanMs.toPrecision(3)})`;
          }),
        ];
        for (const text of cells) {
          const cell = document.createElement('td');
          cell.textContent = text;
          row.append(cell);
        }
        return row;
      }),
    );
    field('bench-backends').innerHTML = [...classes]
      .map(([backend, kernelClass]) => `<div><b>${backend}</b>: ${kernelClass.replace(/</g, '&lt;')}</div>`)
      .join('');
  };
  worker.onmessage = (event: MessageEvent<FromEngine>) => {
    const message = event.data;
    if (message.type === 'bench-row') {
      const { row } = message;
      classes.set(row.backend, row.kernelClass);
      if (!rows.has(row.problem)) rows.set(row.problem, new Map());
      rows.get(row.problem)?.set(row.backend, row);
      render();
    } else if (message.type === 'bench-done' || message.type === 'error') {
      worker.terminate();
      benchButton.disabled = false;
      field('bench-status').textContent = message.type === 'error' ? `error: ${message.text}` : 'done';
      field('bench-crossover').textContent = crossover(rows);
      document.body.dataset.bench = message.type === 'error' ? 'error' : 'done';
    }
  };
  worker.postMessage({ type: 'bench' });
});

/** The smallest matmul where a GPU backend's mean time beats the CPU's, in words. */
function crossover(rows: Map<string, Map<string, KernelTiming>>): string {
  const parts = ['webgl2', 'webgpu'].map((gpu) => {
    for (const [problem, byBackend] of rows) {
      if (!problem.startsWith('matmul')) continue;
      const cpu = byBackend.get('cpu');
      const other = byBackend.get(gpu);
      if (cpu && other && other.meanMs > 0 && other.meanMs < cpu.meanMs) return `${gpu} beats the CPU from ${problem}`;
    }
    return `${gpu} never beats the CPU up to matmul 512`;
  });
  return `Crossover: ${parts.join('; ')}.`;
}
