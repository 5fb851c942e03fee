// Cross-process locks in the cache dir: a file naming its owner (run id, pid, start time). A lock whose owner
// is gone is taken over; a live owner is waited for (the abort signal ends the wait). Reentrant within a process.
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDir } from './paths.js';
import { isAlive, liveManifest, type RunManifest } from './manifest.js';

const held = new Map<string, number>();

export interface LockWait {
  /** Called once when the lock is held by another live process, with what holds it. */
  onWait?: (owner: RunManifest) => void;
  signal?: AbortSignal;
  pollMs?: number;
}

/** The lock files this process holds now (a child isobench run would wait for any of them). */
export function heldLocks(): string[] {
  return [...held.keys()];
}

/** The lock file of `name` (letters, digits, dashes). */
export const lockPath = (name: string): string => join(cacheDir(), 'locks', `${name}.lock`);

/** Takes lock `name` for run `runId`, waiting while a live process holds it; returns the release function. */
export async function acquireLock(name: string, runId: string, opts: LockWait = {}): Promise<() => Promise<void>> {
  const path = lockPath(name);
  const release = async () => {
    const n = (held.get(path) ?? 1) - 1;
    if (n > 0) return void held.set(path, n);
    held.delete(path);
    await rm(path, { force: true });
  };
  if (held.has(path)) {
    held.set(path, held.get(path)! + 1);
    return once(release);
  }
  await mkdir(join(cacheDir(), 'locks'), { recursive: true });
  let told = false;
  for (;;) {
    opts.signal?.throwIfAborted();
    if (await tryCreate(path, runId)) {
      held.set(path, 1);
      return once(release);
    }
    const owner = await readOwner(path);
    if (owner ? !isAlive(owner) : await olderThan(path, 10_000)) {
      // The owner died holding it: move its file aside (only one taker wins the rename) and try again.
      const aside = `${path}.stale-${process.pid}`;
      if (await rename(path, aside).then(() => true, () => false)) await rm(aside, { force: true });
      continue;
    }
    if (owner && !told) {
      told = true;
      opts.onWait?.(owner);
    }
    await sleep(opts.pollMs ?? 500, opts.signal);
  }
}

async function tryCreate(path: string, runId: string): Promise<boolean> {
  try {
    const fh = await open(path, 'wx');
    try {
      await fh.writeFile(`${JSON.stringify(liveManifest(runId))}\n`);
    } finally {
      await fh.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** The owner named in a lock file; undefined while it is being written (or if it vanished). */
async function readOwner(path: string): Promise<RunManifest | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as RunManifest;
  } catch {
    return undefined;
  }
}

/** A lock file that stayed unreadable this long was left half-written by a process that died. */
async function olderThan(path: string, ms: number): Promise<boolean> {
  const st = await stat(path).catch(() => undefined);
  return st !== undefined && Date.now() - st.mtimeMs > ms;
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(t);
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
