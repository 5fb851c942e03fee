// A DriverContext outside a run (commands, tests, the bench): run id `purpose-<id>`, a live manifest (so cleanup
// leaves what it owns alone while it runs), and its own isobench-<run id>- temp dir.
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { CleanupStack } from './cleanup.js';
import { createLogger, type Logger } from './log.js';
import { newRunId } from './labels.js';
import { ProcessTimer } from '../measure/timer.js';
import { registerLive } from './manifest.js';
import { workDirPrefix } from './owner.js';
import type { Config } from '../config/schema.js';
import type { DriverContext } from '../drivers/types.js';

/** A context whose manifest and work dir (isobench-<purpose>-<id>-…) go with its cleanup stack; run ctx.cleanup.runAll() when done. */
export async function newDriverContext(
  purpose: string,
  config: Config,
  opts: { log?: Logger; signal?: AbortSignal; note?: (text: string) => void } = {},
): Promise<DriverContext> {
  const cleanup = new CleanupStack(config.timeouts.cleanupSec * 1000);
  const runId = `${purpose}-${newRunId()}`;
  await registerLive(runId, cleanup, { purpose });
  const workDir = await mkdtemp(workDirPrefix(runId));
  cleanup.push(`work dir ${workDir}`, () => rm(workDir, { recursive: true, force: true }), () => rmSync(workDir, { recursive: true, force: true }));
  const log = opts.log ?? createLogger();
  return {
    runId,
    workDir,
    config,
    cleanup,
    log,
    signal: opts.signal ?? new AbortController().signal,
    timer: new ProcessTimer({ baseDir: workDir, cleanup, log }),
    note: opts.note ?? (() => undefined),
  };
}
