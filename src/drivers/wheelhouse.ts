// A wheelhouse: the packages as wheel files, to install into containers and guests without a network.
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { cacheDir } from '../lifecycle/paths.js';
import { runOk } from '../lifecycle/process.js';
import type { DriverContext } from './types.js';

/**
 * The folder of wheels for `pkgs`: config.pip.wheelhouse when set, else a cached `pip download`
 * (through pip's own configuration, so PIP_* variables and pip.conf apply) for the target Python.
 */
export async function ensureWheelhouse(
  pkgs: string[],
  target: { pythonVersion?: string },
  ctx: DriverContext,
): Promise<string> {
  if (ctx.config.pip.wheelhouse) return ctx.config.pip.wheelhouse;
  const key = createHash('sha256')
    .update(JSON.stringify([pkgs, target.pythonVersion ?? '', ctx.config.pip.indexUrl ?? '', ctx.config.pip.findLinks]))
    .digest('hex')
    .slice(0, 16);
  const dir = join(cacheDir(), 'wheelhouse', key);
  const have = await readdir(dir).catch(() => [] as string[]);
  if (have.some((f) => f.endsWith('.whl'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const argv = ['python3', '-m', 'pip', 'download', '--disable-pip-version-check', '-d', tmp, '--only-binary=:all:'];
  if (target.pythonVersion) argv.push('--python-version', target.pythonVersion);
  if (ctx.config.pip.indexUrl) argv.push('--index-url', ctx.config.pip.indexUrl);
  for (const f of ctx.config.pip.findLinks) argv.push('--find-links', f);
  argv.push(...pkgs);
  ctx.log.info(`wheelhouse: downloading ${pkgs.join(' ')} for offline installs`);
  try {
    await runOk(argv, { step: 'pip download (wheelhouse)', timeoutMs: ctx.config.timeouts.stepSec * 1000, signal: ctx.signal });
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return dir;
}
