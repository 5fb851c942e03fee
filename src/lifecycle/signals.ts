// SIGINT/SIGTERM: the first aborts the run so cleanup can run; a second, or cleanup outlasting the grace
// period, forces the exit, naming what is left.
import { setMaxListeners } from 'node:events';
import type { CleanupStack } from './cleanup.js';
import type { Logger } from './log.js';

/**
 * How long cleanup may take after the first signal before the process exits anyway: CI runners send SIGTERM
 * 7.5 s after SIGINT and SIGKILL 2.5 s later, and the exit must come well before either.
 */
export const SIGNAL_GRACE_MS = 4_500;

export interface SignalState {
  controller: AbortController;
  /** The exit code the signal asks for (130 SIGINT, 143 SIGTERM), once one arrived. */
  exitCode(): number | undefined;
  dispose(): void;
}

/** Installs the handlers for one run; the first signal aborts `controller`. */
export function handleSignals(cleanup: CleanupStack, log: Logger, controller = new AbortController(), graceMs = SIGNAL_GRACE_MS): SignalState {
  // Every long step listens on this signal (processes, guests, Engine requests): no listener-leak warning for them.
  setMaxListeners(0, controller.signal);
  let code: number | undefined;
  let watchdog: NodeJS.Timeout | undefined;
  const forceExit = (why: string, c: number) => {
    cleanup.runSyncFallbacks();
    const left = cleanup.pending();
    log.warn(`${why}; left behind: ${left.length ? left.join('; ') : 'nothing'}${left.length ? ' (isobench cleanup removes them)' : ''}`);
    process.exit(c);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    const c = signal === 'SIGINT' ? 130 : 143;
    if (code === undefined) {
      code = c;
      log.warn(`${signal}: stopping; cleaning up what this run created (press Ctrl-C again to force the exit)`);
      watchdog = setTimeout(() => forceExit(`cleanup did not finish within ${graceMs / 1000} s of ${signal}: exiting`, c), graceMs).unref();
      controller.abort(new Error(`interrupted by ${signal}`));
      return;
    }
    forceExit('forced exit', c);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    controller,
    exitCode: () => code,
    dispose: () => {
      clearTimeout(watchdog);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
