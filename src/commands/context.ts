// A DriverContext for commands other than run (doctor, images): cleanup always runs at the end.
import { createLogger } from '../lifecycle/log.js';
import { newDriverContext } from '../lifecycle/context.js';
import { handleSignals } from '../lifecycle/signals.js';
import type { Config } from '../config/schema.js';
import type { DriverContext } from '../drivers/types.js';

/** Runs fn with a context named `purpose-<run id>` and its own isobench- temp dir; notes are returned with its value. */
export async function withCommandContext<T>(
  purpose: string,
  config: Config,
  fn: (ctx: DriverContext) => Promise<T>,
): Promise<{ value: T; notes: string[] }> {
  const log = createLogger();
  const notes: string[] = [];
  // Ctrl-C or SIGTERM aborts the work and still runs the cleanup below (the exit code says which signal).
  const controller = new AbortController();
  const ctx = await newDriverContext(purpose, config, { log, signal: controller.signal, note: (t) => notes.push(t) });
  const signals = handleSignals(ctx.cleanup, log, controller);
  try {
    return { value: await fn(ctx), notes };
  } finally {
    for (const f of await ctx.cleanup.runAll()) log.warn(`cleanup: ${f.what}: ${f.error}`);
    signals.dispose();
    const code = signals.exitCode();
    if (code !== undefined) process.exit(code);
  }
}
