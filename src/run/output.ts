// The output folder: created or claimed safely, results and reports rewritten atomically after each environment.
import { mkdir, readdir, rename, stat, writeFile, access } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../config/errors.js';

/** The file that marks a folder as created by isobench, so a later run may write into it again. */
export const OUT_MARKER = '.isobench-output';

export type Lang = 'en' | 'ko' | 'both';

/** The default output folder: reports/<timestamp>/ below the working directory. */
export function defaultOutDir(runId: string, cwd = process.cwd()): string {
  return join(cwd, 'reports', runId);
}

/**
 * Makes `dir` ready for writing: creates it (with a marker), or accepts an existing one only when it
 * is empty or was created by isobench. Never empties or overwrites a folder of the user's.
 */
export async function prepareOutDir(dir: string): Promise<string> {
  const abs = resolve(dir);
  const st = await stat(abs).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new UserError('output', `cannot create --out ${dir} (${err.code}); pass a folder in a writable place`);
  });
  if (st && !st.isDirectory()) {
    throw new UserError('output', `--out ${dir} is a file, not a folder; pass a new or empty folder`);
  }
  if (st) {
    const entries = await readdir(abs);
    if (entries.length > 0 && !entries.includes(OUT_MARKER)) {
      throw new UserError('output', `--out ${dir} is not empty and was not created by isobench; pass a new or empty folder so nothing of yours is overwritten`);
    }
    await access(abs, constants.W_OK).catch(() => {
      throw new UserError('output', `--out ${dir} is not writable; pass a folder you can write to`);
    });
  } else {
    try {
      await mkdir(abs, { recursive: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UserError('output', `cannot create --out ${dir} (${code}); pass a folder in a writable place`);
    }
  }
  await writeFile(join(abs, OUT_MARKER), 'This folder was created by isobench; its reports are rewritten by later runs.\n').catch((err: NodeJS.ErrnoException) => {
    throw new UserError('output', `cannot write into --out ${dir} (${err.code}); pass a folder you can write to`);
  });
  return abs;
}

/** Writes a file through a temporary name and a rename, so a reader never sees half a report. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}
