// This machine's id for class submissions: made once at random and kept in isobench's cache folder.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDir } from '../lifecycle/paths.js';
import { MACHINE_ID } from './submission.js';

/** The file the id is kept in. */
export function machineIdFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'class-machine-id');
}

/** Reads this machine's id, creating it the first time (a resubmission then replaces this machine's entry only). */
export async function machineId(file = machineIdFile()): Promise<string> {
  const kept = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (MACHINE_ID.test(kept)) return kept;
  const id = randomBytes(18).toString('base64url');
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, `${id}\n`, { mode: 0o600 });
  return id;
}
