// Where isobench keeps caches (images, wheelhouses) and the project's own files.
import { readFileSync } from 'node:fs';
import { lchown, lstat, readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The cache root: $ISOBENCH_CACHE, else $XDG_CACHE_HOME/isobench, else ~/.cache/isobench. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ISOBENCH_CACHE) return env.ISOBENCH_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'isobench');
}

/** The package root (where package.json, fixtures/ and docker/ are), from src/ or dist/ alike. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface InvokingUser {
  uid: number;
  gid: number;
  name: string;
  home: string;
}

/**
 * The user who ran `sudo isobench …` (SUDO_UID, SUDO_GID, their home from /etc/passwd), when this process is
 * root under sudo for another user; else undefined (pure: the uid, environment and passwd text are given).
 */
export function invokingUser(uid: number | undefined, env: NodeJS.ProcessEnv, passwd: string): InvokingUser | undefined {
  if (uid !== 0 || !env.SUDO_UID || !/^\d+$/.test(env.SUDO_UID) || env.SUDO_UID === '0') return undefined;
  const line = passwd.split('\n').map((l) => l.split(':')).find((f) => f[2] === env.SUDO_UID);
  if (!line || !line[5]) return undefined;
  const gid = /^\d+$/.test(env.SUDO_GID ?? '') ? Number(env.SUDO_GID) : Number(line[3]);
  return { uid: Number(env.SUDO_UID), gid, name: line[0]!, home: line[5] };
}

/** The invoking user of this process (see invokingUser). */
export function sudoUser(): InvokingUser | undefined {
  let passwd = '';
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  return invokingUser(process.getuid?.(), process.env, passwd);
}

/**
 * The cache `sudo isobench images build …` builds into: the invoking user's (their ~/.cache/isobench, or
 * ISOBENCH_CACHE when sudo passed it on), where that user's runs look; undefined when not under sudo.
 */
export function sudoCacheDir(user: InvokingUser | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!user) return undefined;
  return env.ISOBENCH_CACHE || join(user.home, '.cache', 'isobench');
}

/** The folders from `home` down to `dir` that do not exist yet (to be given to the user once created). */
export async function missingBelow(home: string, dir: string): Promise<string[]> {
  const out: string[] = [];
  for (let d = dir; d.startsWith(`${home}/`); d = dirname(d)) {
    if (await lstat(d).then(() => false, () => true)) out.push(d);
  }
  return out;
}

/** Gives `dir` and everything below it to uid:gid (symlinks themselves, never what they point to). */
export async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  const st = await lstat(dir).catch(() => undefined);
  if (!st) return;
  if (st.uid !== uid || st.gid !== gid) await lchown(dir, uid, gid);
  if (!st.isDirectory()) return;
  for (const name of await readdir(dir)) await chownTree(join(dir, name), uid, gid);
}

/**
 * How to run this isobench again, as a fix to print: `isobench` when it was started by that name (the linked
 * command), else `node <its absolute bin path>` (a checkout), so the printed command works from any folder.
 */
export function isobenchCommand(argv1: string | undefined = process.argv[1]): string {
  if (!argv1 || /(^|\/)isobench$/.test(argv1)) return 'isobench';
  return `node ${/\s/.test(argv1) ? JSON.stringify(argv1) : argv1}`;
}
