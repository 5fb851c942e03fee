// SIGINT/SIGTERM: the first aborts the run so cleanup can run; a second forces the exit, naming what is left.
import type { CleanupStack } from './cleanup.js';
import type { Logger } from './log.js';

export interface SignalState {
  controller: AbortController;
  /** The exit code the signal asks for (130 SIGINT, 143 SIGTERM), once one arrived. */
  exitCode(): number | undefined;
  dispose(): void;
}

/** Installs the handlers for one run; the first signal aborts `controller`. */
export function handleSignals(cleanup: CleanupStack, log: Logger, controller = new AbortController()): SignalState {
  let code: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    const c = signal === 'SIGINT' ? 130 : 143;
    if (code === undefined) {
      code = c;
      log.warn(`${signal}: stopping; cleaning up what this run created (press Ctrl-C again to force the exit)`);
      controller.abort(new Error(`interrupted by ${signal}`));
      return;
    }
    const left = cleanup.pending();
    log.warn(`forced exit; left behind: ${left.length ? left.join('; ') : 'nothing'}${left.length ? ' (isobench cleanup removes them)' : ''}`);
    process.exit(c);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    controller,
    exitCode: () => code,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
