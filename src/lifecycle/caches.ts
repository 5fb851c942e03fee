// `run --clean`: removes what isobench built and kept as cache (its Docker images, the VM images, the Vagrant
// box and its libvirt volume, wheelhouses).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { engine } from '../drivers/docker/engine.js';
import { LOCAL_BOX } from '../drivers/vm/vagrant-box.js';
import { removeBox } from '../drivers/vm/vagrant-libvirt.js';
import { run } from './process.js';
import { LABEL_VERSION } from './labels.js';
import { cacheDir } from './paths.js';
import type { Config } from '../config/schema.js';
import type { Kind } from '../drivers/types.js';

/**
 * Removes the caches of `kinds`: Docker images labelled isobench.version that no container uses (images
 * the user had are never labelled so, and stay), the VM image folder, and the wheelhouses. Returns what went.
 */
export async function cleanCaches(kinds: Kind[], config: Config): Promise<string[]> {
  const removed: string[] = [];
  if (kinds.includes('docker')) {
    const { docker } = await engine({ config });
    // Children first, then the images they were built on, until a round removes nothing.
    for (let round = 0; round < 5; round++) {
      const r = await docker.pruneImages({ filters: { dangling: ['false'], label: [LABEL_VERSION] } });
      const gone = (r.ImagesDeleted ?? []).flatMap((d) => (d.Untagged ? [d.Untagged] : []));
      removed.push(...gone);
      if (!r.ImagesDeleted?.length) break;
    }
  }
  if (kinds.includes('vm')) {
    await rm(join(cacheDir(), 'vm'), { recursive: true, force: true });
    removed.push(`${join(cacheDir(), 'vm')}`);
    const { provider } = config.environments.vm.vagrant;
    if (await hasVagrant()) removed.push(...(await removeBox(LOCAL_BOX, provider, { config })));
    await rm(join(cacheDir(), 'vagrant'), { recursive: true, force: true });
    removed.push(join(cacheDir(), 'vagrant'));
  }
  await rm(join(cacheDir(), 'wheelhouse'), { recursive: true, force: true });
  removed.push(join(cacheDir(), 'wheelhouse'));
  return removed;
}

async function hasVagrant(): Promise<boolean> {
  return (await run(['vagrant', '--version'], { step: 'vagrant --version', timeoutMs: 30_000 })).exitCode === 0;
}
