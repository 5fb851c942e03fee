// A real DriverContext for integration tests: default config, a cleanup stack, a memory log.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, type Config } from '../../src/config/schema.js';
import { CleanupStack } from '../../src/lifecycle/cleanup.js';
import { memoryLogger } from '../../src/lifecycle/log.js';
import { newRunId } from '../../src/lifecycle/labels.js';
import type { DriverContext } from '../../src/drivers/types.js';

/** A context whose work dir is a fresh isobench- temp dir; call ctx.cleanup.runAll() when done. */
export async function testContext(config: Partial<Config> = {}): Promise<DriverContext & { notes: string[]; lines: string[] }> {
  const log = memoryLogger();
  const notes: string[] = [];
  const cleanup = new CleanupStack(60_000);
  const workDir = await mkdtemp(join(tmpdir(), 'isobench-test-'));
  cleanup.push(`work dir ${workDir}`, () => rm(workDir, { recursive: true, force: true }));
  return {
    runId: `test-${newRunId()}`,
    workDir,
    config: configSchema.parse(config),
    cleanup,
    log,
    lines: log.lines,
    signal: new AbortController().signal,
    notes,
    note: (t) => notes.push(t),
  };
}
