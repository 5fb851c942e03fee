// Manifests of live isobench processes (run, images, doctor, report, bench, tests): written before the process
// creates anything, removed when it ends cleanly. One whose process is gone names what crashed, so `isobench
// cleanup` can find what it created; one whose process still runs (same pid and same start time) is never touched.
import { rmSync } from 'node:fs';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../config/errors.js';
import { cacheDir } from './paths.js';
import { processStartTime } from './proc.js';
import { writeAtomic } from '../run/output.js';
import type { CleanupStack } from './cleanup.js';

export interface RunManifest {
  runId: string;
  pid: number;
  /** The process's start time (clock ticks since boot, /proc/PID/stat field 22): a reused pid does not match it. */
  startTime?: string;
  hostname: string;
  startedAt: string;
  /** What the process is: run, images, doctor, report, bench, test. */
  purpose?: string;
  workDir?: string;
  outDir?: string;
}

/** The folder of manifests. */
export const manifestDir = (): string => join(cacheDir(), 'runs');

const manifestPath = (runId: string) => join(manifestDir(), `${runId}.json`);

/** The manifest of this process for `runId`. */
export function liveManifest(runId: string, extra: Partial<RunManifest> = {}): RunManifest {
  return { runId, pid: process.pid, startTime: processStartTime(process.pid), hostname: hostname(), startedAt: new Date().toISOString(), ...extra };
}

/** Writes (or rewrites) the manifest of a run; an unwritable cache is one line naming it and the fix. */
export async function writeManifest(m: RunManifest): Promise<void> {
  try {
    await mkdir(manifestDir(), { recursive: true });
    await writeAtomic(manifestPath(m.runId), `${JSON.stringify(m, null, 2)}\n`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new UserError('prerequisite', `cannot write ${manifestPath(m.runId)} (${code}); set ISOBENCH_CACHE to a folder you may write to`);
  }
}

/**
 * Marks this process as the live owner of `runId` until its cleanup stack has run: the manifest is written now
 * and its removal is pushed first, so it goes last, after everything the process created.
 */
export async function registerLive(runId: string, cleanup: CleanupStack, extra: Partial<RunManifest> = {}): Promise<RunManifest> {
  const m = liveManifest(runId, extra);
  await writeManifest(m);
  cleanup.push(`manifest of ${runId}`, () => removeManifest(runId), removeManifestIfAlone(runId, cleanup));
  return m;
}

/**
 * A forced exit's last resort for the manifest (CleanupStack's sync): it goes only when nothing else of the run is
 * left, since a dead run's manifest is how cleanup knows its leftovers.
 */
export function removeManifestIfAlone(runId: string, cleanup: CleanupStack): () => void {
  return () => {
    if (cleanup.pending().length > 1) throw new Error('leftovers remain');
    rmSync(manifestPath(runId), { force: true });
  };
}

/** Removes a run's manifest (the run ended and its cleanup ran). */
export async function removeManifest(runId: string): Promise<void> {
  await rm(manifestPath(runId), { force: true });
}

/** Every manifest on this machine, unreadable ones skipped. */
export async function readManifests(): Promise<RunManifest[]> {
  const names = await readdir(manifestDir()).catch(() => [] as string[]);
  const out: RunManifest[] = [];
  for (const n of names.filter((f) => f.endsWith('.json'))) {
    try {
      out.push(JSON.parse(await readFile(join(manifestDir(), n), 'utf8')) as RunManifest);
    } catch {
      /* a half-written or foreign file: not a run */
    }
  }
  return out;
}

/** Is the process that wrote the manifest still running on this machine (same pid, same start time)? */
export function isAlive(m: Pick<RunManifest, 'pid' | 'hostname' | 'startTime'>): boolean {
  if (m.hostname !== hostname()) return true; // another machine's run (shared home): never ours to judge
  try {
    process.kill(m.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (m.startTime === undefined) return true;
  const now = processStartTime(m.pid);
  return now === undefined || now === m.startTime;
}
