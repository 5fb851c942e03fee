// A DriverContext for commands other than run (doctor, images): cleanup always runs at the end.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CleanupStack } from '../lifecycle/cleanup.js';
import { createLogger } from '../lifecycle/log.js';
import { newRunId } from '../lifecycle/labels.js';
import { handleSignals } from '../lifecycle/signals.js';
import type { Config } from '../config/schema.js';
import type { DriverContext } from '../drivers/types.js';

/** Runs fn with a context named `purpose-<run id>` and its own isobench- temp dir; notes are returned with its value. */
export async function withCommandContext<T>(
  purpose: string,
  config: Config,
  fn: (ctx: DriverContext) => Promise<T>,
): Promise<{ value: T; notes: string[] }> {
  const cleanup = new CleanupStack(config.timeouts.cleanupSec * 1000);
  const log = createLogger();
  const notes: string[] = [];
  const workDir = await mkdtemp(join(tmpdir(), `isobench-${purpose}-`));
  cleanup.push(`work dir ${workDir}`, () => rm(workDir, { recursive: true, force: true }));
  // Ctrl-C or SIGTERM aborts the work and still runs the cleanup below (the exit code says which signal).
  const signals = handleSignals(cleanup, log);
  const ctx: DriverContext = {
    runId: `${purpose}-${newRunId()}`,
    workDir,
    config,
    cleanup,
    log,
    signal: signals.controller.signal,
    note: (t) => notes.push(t),
  };
  try {
    return { value: await fn(ctx), notes };
  } finally {
    for (const f of await cleanup.runAll()) log.warn(`cleanup: ${f.what}: ${f.error}`);
    signals.dispose();
    const code = signals.exitCode();
    if (code !== undefined) process.exit(code);
  }
}
