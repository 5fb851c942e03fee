// Logging to stderr only (stdout is reserved for --json), plain lines when not a TTY, NO_COLOR honoured.
import { appendFileSync } from 'node:fs';

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  debug(msg: string): void;
}

/** A logger writing to a stream (stderr by default). */
export function createLogger(opts: { verbose?: boolean; stream?: NodeJS.WritableStream & { isTTY?: boolean } } = {}): Logger {
  const stream = opts.stream ?? process.stderr;
  const color = Boolean(stream.isTTY) && !('NO_COLOR' in process.env);
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  return {
    info: (msg) => stream.write(`${msg}\n`),
    warn: (msg) => stream.write(`${paint('33', 'warning:')} ${msg}\n`),
    debug: (msg) => {
      if (opts.verbose) stream.write(`${paint('2', msg)}\n`);
    },
  };
}

/**
 * `log`, and every line (debug included) also appended to `file` with a timestamp: the full log of a run in its
 * output folder. A file that cannot be written is said once on `log` and then left alone (the run goes on).
 */
export function teeToFile(log: Logger, file: string): Logger {
  let broken = false;
  const append = (level: string, msg: string) => {
    if (broken) return;
    try {
      appendFileSync(file, `${new Date().toISOString()} ${level} ${msg}\n`);
    } catch (err) {
      broken = true;
      log.warn(`cannot write the log ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); the run goes on without it`);
    }
  };
  return {
    info: (m) => (append('info', m), log.info(m)),
    warn: (m) => (append('warn', m), log.warn(m)),
    debug: (m) => (append('debug', m), log.debug(m)),
  };
}

/** A logger that keeps lines in memory, for tests. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warning: ${m}`),
    debug: (m) => lines.push(`debug: ${m}`),
  };
}
