import { SingleBar } from 'cli-progress';
import type { BatchProgress } from '../train/index.js';
import { formatSeconds } from './options.js';

/**
 * A progress bar per epoch on stderr (loss, images/s, ETA), drawn only on a terminal so logs and
 * `--json` output stay clean. `update` starts a new bar when the epoch changes.
 */
export class EpochProgress {
  private bar: SingleBar | null = null;
  private epoch = -1;

  constructor(
    private readonly epochs: number,
    private readonly enabled = process.stderr.isTTY === true,
  ) {}

  /** Shows the progress after a batch. */
  update(progress: BatchProgress): void {
    if (!this.enabled) return;
    if (progress.epoch !== this.epoch) {
      this.stop();
      this.epoch = progress.epoch;
      this.bar = new SingleBar({
        format: `epoch ${progress.epoch + 1}/${this.epochs} [{bar}] {value}/{total} batches | loss {loss} | {speed} img/s | ETA {etaText}`,
        stream: process.stderr,
        barsize: 24,
        hideCursor: true,
        clearOnComplete: true,
      });
      this.bar.start(progress.batches, 0, { loss: '-', speed: '-', etaText: '-' });
    }
    const secondsPerBatch = progress.elapsedSeconds / progress.batch;
    this.bar?.update(progress.batch, {
      loss: progress.loss.toFixed(3),
      speed: progress.imagesPerSecond.toFixed(1),
      etaText: formatSeconds((progress.batches - progress.batch) * secondsPerBatch),
    });
  }

  /** Removes the bar (before printing a log line). */
  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
