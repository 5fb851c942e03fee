// The output folder: created or claimed safely, results and reports rewritten atomically after each environment.
import { mkdir, open, readdir, rename, rm, stat, writeFile, access } from 'node:fs/promises';
import { constants, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../config/errors.js';

/** The file that marks a folder as created by isobench, so a later run may write into it again. */
export const OUT_MARKER = '.isobench-output';
/** What the temporary files of writeAtomic and writeDurable carry in their names (`results.json.tmp-PID`). */
export const TMP_INFIX = '.tmp-';

export type Lang = 'en' | 'ko' | 'both';

/** The default output folder: reports/<timestamp>/ below the working directory. */
export function defaultOutDir(runId: string, cwd = process.cwd()): string {
  return join(cwd, 'reports', runId);
}

/**
 * Makes `dir` ready for writing: creates it (with a marker), or accepts an existing one only when it
 * is empty or was created by isobench. Never empties or overwrites a folder of the user's.
 */
export async function prepareOutDir(dir: string, flag = '--out'): Promise<string> {
  const abs = resolve(dir);
  const st = await stat(abs).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new UserError('output', `cannot create ${flag} ${dir} (${err.code}); pass a folder in a writable place`);
  });
  if (st && !st.isDirectory()) {
    throw new UserError('output', `${flag} ${dir} is a file, not a folder; pass a new or empty folder`);
  }
  if (st) {
    const entries = await readdir(abs);
    if (entries.length > 0 && !entries.includes(OUT_MARKER)) {
      throw new UserError('output', `${flag} ${dir} is not empty and was not created by isobench; pass a new or empty folder so nothing of yours is overwritten`);
    }
    await access(abs, constants.W_OK).catch(() => {
      throw new UserError('output', `${flag} ${dir} is not writable; pass a folder you can write to`);
    });
  } else {
    try {
      await mkdir(abs, { recursive: true });
    } catch (err) {
      // A recursive mkdir reports ENOENT where the real cause is EROFS or EACCES; a plain one says which.
      const code = await mkdir(abs).then(
        () => (err as NodeJS.ErrnoException).code,
        (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? (err as NodeJS.ErrnoException).code : e.code),
      );
      throw new UserError('output', `cannot create ${flag} ${dir} (${code}); pass a folder in a writable place`);
    }
  }
  await writeFile(join(abs, OUT_MARKER), 'This folder was created by isobench; its reports are rewritten by later runs.\n').catch((err: NodeJS.ErrnoException) => {
    throw new UserError('output', `cannot write into ${flag} ${dir} (${err.code}); pass a folder you can write to`);
  });
  return abs;
}

/** Temporary files a write has not yet renamed: a process that exits mid-write (a signal) removes them on its way out. */
const inFlight = new Set<string>();
let sequence = 0;
let exitHook = false;

/**
 * Writes a file through a temporary name and a rename, so a reader never sees half a report; a failure leaves no temp
 * file, and neither does an exit between the write and the rename (each write has its own temporary name).
 */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}${TMP_INFIX}${process.pid}-${++sequence}`;
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const f of inFlight) rmSync(f, { force: true });
    });
  }
  inFlight.add(tmp);
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  } finally {
    inFlight.delete(tmp);
  }
}

const FULL = 'free space there or write to another folder';
const DENIED = 'write to a folder you may write to';
/** errno code -> [the cause in words, the fix]. */
const CAUSES: Record<string, [string, string]> = {
  ENOSPC: ['no space left on the device', FULL],
  EDQUOT: ['disk quota exceeded', FULL],
  EFBIG: ['file too large', FULL],
  EACCES: ['permission denied', DENIED],
  EPERM: ['operation not permitted', DENIED],
  EROFS: ['read-only file system', DENIED],
  ENOENT: ['its folder no longer exists (removed during the run?)', 'leave the folder in place until the run ends'],
  ENOTDIR: ['a part of the path is not a folder', 'write to another folder'],
  EIO: ['input/output error', 'check the device, or write to another folder'],
};

/** A file of the output that could not be written: one line naming the path and the cause. */
export class OutputError extends UserError {
  constructor(
    readonly path: string,
    readonly fsError: NodeJS.ErrnoException,
    /** results.json was written; only the reports (or later files) are missing. */
    readonly resultsKept = false,
  ) {
    const [why, fix] = CAUSES[fsError.code ?? ''] ?? [fsError.message.split('\n')[0]!, 'write to another folder'];
    super('output', `cannot write ${path}: ${why} (${fsError.code ?? 'error'})${resultsKept ? '; results.json is kept' : ''}; ${fix}`);
    this.name = 'OutputError';
  }
}

/** Is err an operating-system error of the file system (it has an errno code)? */
export function isFsError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && typeof (err as NodeJS.ErrnoException).syscall === 'string';
}

let durableSeq = 0;

/** Like writeAtomic, and flushed to disk (the file, then its folder) before it returns, so what was acknowledged survives a crash. */
export async function writeDurable(path: string, text: string, mode = 0o666): Promise<void> {
  const tmp = `${path}${TMP_INFIX}${process.pid}-${++durableSeq}`;
  try {
    const file = await open(tmp, 'w', mode);
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
