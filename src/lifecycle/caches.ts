// `run --clean`: removes what isobench built and kept as cache (its Docker images, the VM images, the Vagrant
// box and its libvirt volume, wheelhouses), and nothing beside it.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { engine } from '../drivers/docker/engine.js';
import { LOCAL_BOX } from '../drivers/vm/vagrant-box.js';
import { removeBox } from '../drivers/vm/vagrant-libvirt.js';
import { run } from './process.js';
import { LABEL_VERSION } from './labels.js';
import { cacheDir } from './paths.js';
import type { Config } from '../config/schema.js';
import type { Kind } from '../drivers/types.js';

/** The repository every image isobench builds is tagged in (isobench/requests:…, isobench/agent:…). */
export const IMAGE_REPO = 'isobench/';

export interface CleanOptions {
  /** The Vagrant box to remove (default: isobench's own box). */
  box?: string;
}

/**
 * Removes the caches of `kinds` and returns what went:
 * - Docker: the isobench/ tags of images labelled isobench.version. An image goes with its last tag; one the user
 *   also tagged, or built FROM an isobench image (it inherits the label, not the tag), stays, as does one a
 *   container uses.
 * - VM: the VM image folder, the Vagrant box and its libvirt volumes, the Vagrant cache folder.
 * - always: the wheelhouses. Only those folders of the cache root go; anything else in it stays.
 */
export async function cleanCaches(kinds: Kind[], config: Config, opts: CleanOptions = {}): Promise<string[]> {
  const removed: string[] = [];
  if (kinds.includes('docker')) {
    const { docker } = await engine({ config });
    removed.push(...(await untagImages(docker)));
  }
  if (kinds.includes('vm')) {
    await rm(join(cacheDir(), 'vm'), { recursive: true, force: true });
    removed.push(`${join(cacheDir(), 'vm')}`);
    const { provider } = config.environments.vm.vagrant;
    if (await hasVagrant()) removed.push(...(await removeBox(opts.box ?? LOCAL_BOX, provider, { config })));
    await rm(join(cacheDir(), 'vagrant'), { recursive: true, force: true });
    removed.push(join(cacheDir(), 'vagrant'));
  }
  await rm(join(cacheDir(), 'wheelhouse'), { recursive: true, force: true });
  removed.push(join(cacheDir(), 'wheelhouse'));
  return removed;
}

/** Removes the isobench/ tags of isobench-labelled images (never by force: an image in use stays, tag and all). */
async function untagImages(docker: Docker): Promise<string[]> {
  const removed: string[] = [];
  const images = await docker.listImages({ filters: { label: [LABEL_VERSION] } });
  for (const tag of images.flatMap((i) => i.RepoTags ?? []).filter((t) => t.startsWith(IMAGE_REPO))) {
    try {
      await docker.getImage(tag).remove();
      removed.push(tag);
    } catch (err) {
      // 409: a container uses it; keep it (isobench cleanup removes a dead run's containers first).
      if ((err as { statusCode?: number }).statusCode !== 409) throw err;
    }
  }
  return removed;
}

async function hasVagrant(): Promise<boolean> {
  return (await run(['vagrant', '--version'], { step: 'vagrant --version', timeoutMs: 30_000 })).exitCode === 0;
}
