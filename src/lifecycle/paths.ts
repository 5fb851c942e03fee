// Where isobench keeps caches (images, wheelhouses) and the project's own files.
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
