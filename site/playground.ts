import { defaultSettings, type FromEngine, type PlaygroundSettings } from './messages.js';

/**
 * The playground page: a settings form, and the run's progress as the engine worker reports it.
 * Training runs in engine-worker.js; stopping terminates that worker, and every run starts a new one.
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
