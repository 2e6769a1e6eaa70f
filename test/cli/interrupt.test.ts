import { describe, expect, test, vi } from 'vitest';
import { interruptOnCtrlC } from '../../src/cli/interrupt.js';

describe('interruptOnCtrlC', () => {
  test('the first Ctrl-C aborts the signal after clearing the progress line; a second exits with 130', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const cleared: string[] = [];
    const interrupt = interruptOnCtrlC(() => cleared.push('progress'));
    try {
      process.emit('SIGINT');
      expect(interrupt.signal.aborted).toBe(true);
      expect(cleared).toEqual(['progress']);
      expect(String(stderr.mock.calls.at(-1)?.[0])).toContain('stopping after the current batch');
      process.emit('SIGINT');
      expect(exit).toHaveBeenCalledWith(130);
    } finally {
      interrupt.dispose();
      stderr.mockRestore();
      exit.mockRestore();
    }
  });

  test('dispose removes the handler', () => {
    const before = process.listenerCount('SIGINT');
    const interrupt = interruptOnCtrlC();
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    interrupt.dispose();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
