// Progress on stderr: a cli-progress bar on a TTY, plain lines otherwise (CI logs, pipes).
import cliProgress from 'cli-progress';
import type { Logger } from '../lifecycle/log.js';

export interface Progress {
  log: Logger;
  step(env: string, step: string): void;
  stop(): void;
}

/** Progress over `total` steps; the returned logger writes above the bar on a TTY (debug lines only with verbose). */
export function createProgress(total: number, base: Logger, stream: NodeJS.WriteStream = process.stderr, verbose = false): Progress {
  if (!stream.isTTY) {
    return { log: base, step: (env, step) => base.info(`${env}: ${step}`), stop: () => {} };
  }
  const multi = new cliProgress.MultiBar(
    { stream, format: ' {bar} {value}/{total} {label}', hideCursor: true, clearOnComplete: true, noTTYOutput: false },
    cliProgress.Presets.shades_classic,
  );
  const bar = multi.create(total, 0, { label: 'starting' });
  const line = (prefix: string) => (msg: string) => multi.log(`${prefix}${msg}\n`);
  const log: Logger = { info: line(''), warn: line('warning: '), debug: verbose ? line('') : () => {} };
  return {
    log,
    step: (env, step) => {
      bar.increment(1, { label: `${env}: ${step}` });
    },
    stop: () => multi.stop(),
  };
}
