// A DriverContext outside a run (commands, tests, the bench): run id `purpose-<id>`, its own isobench- temp dir.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CleanupStack } from './cleanup.js';
import { createLogger, type Logger } from './log.js';
import { newRunId } from './labels.js';
import { ProcessTimer } from '../measure/timer.js';
import type { Config } from '../config/schema.js';
import type { DriverContext } from '../drivers/types.js';

/** A context whose work dir (isobench-<purpose>-…) is removed by its cleanup stack; run ctx.cleanup.runAll() when done. */
export async function newDriverContext(
  purpose: string,
  config: Config,
  opts: { log?: Logger; signal?: AbortSignal; note?: (text: string) => void } = {},
): Promise<DriverContext> {
  const cleanup = new CleanupStack(config.timeouts.cleanupSec * 1000);
  const workDir = await mkdtemp(join(tmpdir(), `isobench-${purpose}-`));
  cleanup.push(`work dir ${workDir}`, () => rm(workDir, { recursive: true, force: true }));
  const log = opts.log ?? createLogger();
  return {
    runId: `${purpose}-${newRunId()}`,
    workDir,
    config,
    cleanup,
    log,
    signal: opts.signal ?? new AbortController().signal,
    timer: new ProcessTimer({ baseDir: workDir, cleanup, log }),
    note: opts.note ?? (() => undefined),
  };
}
