// Logging to stderr only (stdout is reserved for --json), plain lines when not a TTY, NO_COLOR honoured.

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
