/** What {@link interruptOnCtrlC} hands the command: the signal to pass to training, and its undo. */
export interface Interrupt {
  signal: AbortSignal;
  /** Removes the Ctrl-C handler (call when the command is done). */
  dispose(): void;
}

/**
 * Turns the first Ctrl-C into an abort of `signal` (training stops after the current batch and
 * keeps its last complete checkpoint); a second Ctrl-C exits at once with code 130. `beforeNotice`
 * runs first, so a progress bar can clear its line.
 */
export function interruptOnCtrlC(beforeNotice: () => void = () => undefined): Interrupt {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    beforeNotice();
    process.stderr.write('\nstopping after the current batch (Ctrl-C again to quit at once)...\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  if (underTsxRunner()) {
    process.stderr.write(
      'note: under the tsx runner Ctrl-C ends training at once (tsx kills a process that does not answer within ' +
        '60 ms, and a training step takes longer); checkpoints stay complete. For a clean stop run ' +
        '`node --import tsx src/cli/main.ts` or the built `arcgrad`.\n',
    );
  }
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

/**
 * True when started by the `tsx` command (as `npx tsx src/cli/main.ts` does; `npm run arcgrad` uses `node --import tsx`): it runs the program
 * in a child whose signal answer it expects within 30 ms, else it kills the child. `node --import tsx`
 * has no such parent.
 */
function underTsxRunner(): boolean {
  return process.execArgv.some((arg) => /tsx[\\/]dist[\\/]preflight\.cjs$/.test(arg));
}
