// The cloud VM image: a cloud image (URL + sha256 from the config) downloaded once into the cache,
// verified, and booted from its own bootloader with a cloud-init NoCloud seed per boot.
import { access, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { cacheDir } from '../../lifecycle/paths.js';
import { runOk } from '../../lifecycle/process.js';
import type { DriverContext, Preflight } from '../types.js';
import type { SeedTool } from './cloud-init.js';
import type { CloudImageConfig } from './config.js';
import { downloadVerified, type DownloadResult } from './download.js';
import type { VmImage } from './image.js';
import { infoArgv, parseInfo } from './qemu-img.js';
import { findSeedTool, SEED_TOOL_FIX } from './seed-iso.js';

export interface CloudImage {
  source: 'cloud';
  url: string;
  sha256: string;
  format: CloudImageConfig['format'];
  /** The verified download; guests boot from overlays on it and never write it. */
  disk: string;
  /** The image's own virtual disk size (a guest's overlay is at least this big). */
  virtualBytes: number;
  seedTool: SeedTool;
  /** config.pip.wheelhouse, carried in each boot's seed. */
  wheelhouse?: string;
}

/** The image a QEMU guest boots: the offline one (direct kernel boot) or a cloud one (firmware + disk). */
export type GuestImage = VmImage | CloudImage;

/** Where the verified download of `cloud` is cached: <cache>/vm/cloud/<sha256>.<format>. */
export function cloudImagePath(cloud: CloudImageConfig, root = cacheDir()): string {
  return join(root, 'vm', 'cloud', `${cloud.sha256}.${cloud.format}`);
}

/** How preflight and reports name the image: "cloud <basename of the URL>". */
export function cloudImageName(cloud: CloudImageConfig): string {
  return `cloud ${basename(new URL(cloud.url).pathname) || cloud.url}`;
}

function cloudConfig(ctx: Pick<DriverContext, 'config'>): CloudImageConfig {
  const cloud = ctx.config.environments.vm.cloud;
  if (!cloud) throw new Error('environments.vm.image is cloud but environments.vm.cloud (url, sha256) is missing');
  return cloud;
}

const exists = (path: string) => access(path).then(() => true, () => false);

/** Why the cloud image cannot be used here (seed tool, wheelhouse), or undefined; `facts` gets what was found. */
async function cloudProblem(ctx: Pick<DriverContext, 'config'>, facts: Record<string, string>): Promise<Preflight | undefined> {
  const wheelhouse = ctx.config.pip.wheelhouse;
  if (wheelhouse && !(await stat(wheelhouse).then((s) => s.isDirectory(), () => false))) {
    return { ok: false, reason: `pip.wheelhouse ${wheelhouse} is not a folder (the cloud guest's seed carries it)`, fix: 'point pip.wheelhouse at a folder of wheels, or unset it to install from the network', facts };
  }
  const tool = await findSeedTool(Boolean(wheelhouse));
  if (!tool) {
    const why = wheelhouse ? 'genisoimage or xorriso (cloud-localds cannot add the wheelhouse to the seed)' : 'cloud-localds, genisoimage or xorriso';
    return { ok: false, reason: `no tool to make the cloud-init NoCloud seed ISO: needs ${why}`, fix: SEED_TOOL_FIX, facts };
  }
  facts['vm.seedTool'] = tool;
  return undefined;
}

/** Preflight of image: cloud (QEMU already checked): seed tool, wheelhouse, whether the image is cached. */
export async function cloudPreflight(ctx: Pick<DriverContext, 'config'>, facts: Record<string, string>): Promise<Preflight> {
  const cloud = cloudConfig(ctx);
  facts['vm.image'] = cloudImageName(cloud);
  facts['vm.image.cached'] = (await exists(cloudImagePath(cloud))) ? 'yes' : `no (create downloads ${cloud.url})`;
  facts['vm.accel'] = `${ctx.config.environments.vm.accel} (decided at create)`;
  return (await cloudProblem(ctx, facts)) ?? { ok: true, facts };
}

/** The verified cloud image in the cache (downloaded first when missing: `downloaded` says so), its format checked by qemu-img. */
export async function cachedCloudImage(ctx: DriverContext): Promise<{ disk: string; virtualBytes: number; downloaded?: DownloadResult }> {
  const cloud = cloudConfig(ctx);
  const disk = cloudImagePath(cloud);
  let downloaded: DownloadResult | undefined;
  if (!(await exists(disk))) {
    downloaded = await downloadVerified(cloud.url, disk, {
      sha256: cloud.sha256,
      sha256Field: 'environments.vm.cloud.sha256',
      timeoutMs: ctx.config.timeouts.stepSec * 1000,
      signal: ctx.signal,
      log: (line) => ctx.log.info(`vm: ${line}`),
    });
  }
  const [info] = parseInfo((await runOk(infoArgv(disk), { step: 'qemu-img info (cloud image)', timeoutMs: 30_000, signal: ctx.signal })).stdout);
  if (info?.format !== cloud.format) {
    throw new Error(`environments.vm.cloud.format is ${cloud.format} but qemu-img reads ${disk} as ${info?.format}: set format: ${info?.format} (or check that the URL is a disk image)`);
  }
  return { disk, virtualBytes: info['virtual-size'], downloaded };
}

/** The cloud image a guest boots: a seed tool found first, then the cached (or just downloaded) image. */
export async function ensureCloudImage(ctx: DriverContext): Promise<CloudImage & { downloaded?: DownloadResult }> {
  const cloud = cloudConfig(ctx);
  const facts: Record<string, string> = {};
  const problem = await cloudProblem(ctx, facts);
  if (problem) throw new Error(`${problem.reason}: ${problem.fix}`);
  const cached = await cachedCloudImage(ctx);
  return {
    source: 'cloud',
    url: cloud.url,
    sha256: cloud.sha256,
    format: cloud.format,
    seedTool: facts['vm.seedTool'] as SeedTool,
    wheelhouse: ctx.config.pip.wheelhouse,
    ...cached,
  };
}
