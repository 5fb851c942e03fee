// Run manifests: written before a run creates anything, removed when it ends cleanly; what is left
// names a run that crashed, so `isobench cleanup` can find what it created.
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { cacheDir } from './paths.js';
import { writeAtomic } from '../run/output.js';

export interface RunManifest {
  runId: string;
  pid: number;
  hostname: string;
  startedAt: string;
  workDir?: string;
  outDir?: string;
}

/** The folder of manifests. */
export const manifestDir = (): string => join(cacheDir(), 'runs');

const manifestPath = (runId: string) => join(manifestDir(), `${runId}.json`);

/** Writes (or rewrites) the manifest of a run. */
export async function writeManifest(m: RunManifest): Promise<void> {
  await mkdir(manifestDir(), { recursive: true });
  await writeAtomic(manifestPath(m.runId), `${JSON.stringify(m, null, 2)}\n`);
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

/** Is the process that wrote the manifest still running on this machine? */
export function isAlive(m: RunManifest): boolean {
  if (m.hostname !== hostname()) return true; // another machine's run (shared home): never ours to judge
  try {
    process.kill(m.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
