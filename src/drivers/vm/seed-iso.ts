// The NoCloud seed ISO of one cloud-image boot: which tool makes it, and making it.
import { access, constants, cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runOk } from '../../lifecycle/process.js';
import type { DriverContext } from '../types.js';
import { SEED_WHEELS_DIR, seedIsoArgv, type CloudSeed, type SeedTool } from './cloud-init.js';

/** Preferred first: genisoimage and xorriso can carry a wheelhouse in the seed, cloud-localds cannot. */
const SEED_TOOLS: SeedTool[] = ['genisoimage', 'xorriso', 'cloud-localds'];

/** What to install when no usable seed tool is found. */
export const SEED_TOOL_FIX = 'apt-get install genisoimage (or xorriso, or cloud-image-utils for cloud-localds)';

async function onPath(name: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    if (await access(join(dir, name), constants.X_OK).then(() => true, () => false)) return true;
  }
  return false;
}

/** The first installed seed ISO tool that can make this seed (with wheels: not cloud-localds), or undefined. */
export async function findSeedTool(withWheels: boolean): Promise<SeedTool | undefined> {
  for (const tool of SEED_TOOLS) {
    if (withWheels && tool === 'cloud-localds') continue;
    if (await onPath(tool)) return tool;
  }
  return undefined;
}

/** Writes the seed's files (and the wheelhouse, if any) under `dir`/seed and makes `dir`/seed.iso from them. */
export async function writeSeedIso(
  dir: string,
  seed: CloudSeed,
  opts: { tool: SeedTool; wheelhouse?: string },
  ctx: Pick<DriverContext, 'signal'>,
): Promise<string> {
  const src = join(dir, 'seed');
  await mkdir(src, { recursive: true });
  await writeFile(join(src, 'user-data'), seed['user-data']);
  await writeFile(join(src, 'meta-data'), seed['meta-data']);
  if (opts.wheelhouse) await cp(opts.wheelhouse, join(src, SEED_WHEELS_DIR), { recursive: true });
  const iso = join(dir, 'seed.iso');
  await runOk(seedIsoArgv(opts.tool, iso, src), { step: `NoCloud seed ISO (${opts.tool})`, timeoutMs: 120_000, signal: ctx.signal });
  return iso;
}
