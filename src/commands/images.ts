// `isobench images build docker|vm|vagrant`: builds the offline images from Debian's packages (cached);
// vagrant packs the full guest as a libvirt box and adds it to Vagrant.
import { UserError } from '../config/errors.js';
import { loadConfig, DEFAULT_CONFIG_PATH } from '../config/load.js';
import { buildDockerImages, buildDockerSuites } from '../drivers/docker/index.js';
import { buildVmImages } from '../drivers/vm/index.js';
import { addVagrantBox } from '../drivers/vm/vagrant-driver.js';
import { DRIVERS } from '../drivers/registry.js';
import { withCommandContext } from './context.js';
import type { DriverContext, Kind } from '../drivers/types.js';
import type { Config } from '../config/schema.js';
import { lchown } from 'node:fs/promises';
import { join } from 'node:path';
import { chownTree, missingBelow, sudoCacheDir, sudoUser } from '../lifecycle/paths.js';

interface Parsed {
  values: { force?: boolean; config?: string };
  positionals: string[];
}

type Target = 'docker' | 'vm' | 'vagrant';
const TARGETS: readonly Target[] = ['docker', 'vm', 'vagrant'];

const BUILDERS: Record<Target, (ctx: DriverContext, opts: { force?: boolean }) => Promise<unknown>> = {
  // The main row's images, then each environments.docker.suites entry's base and requests image.
  docker: async (ctx, opts) => ({ main: await buildDockerImages(ctx, opts), suites: await buildDockerSuites(ctx, opts) }),
  vm: buildVmImages,
  vagrant: addVagrantBox,
};

/** Runs `isobench images build KIND`. */
export async function imagesCommand({ values, positionals }: Parsed): Promise<number> {
  const [verb, kind, ...extra] = positionals;
  const target = TARGETS.find((t) => t === kind);
  if (verb !== 'build' || !target || extra.length) {
    throw new UserError('usage', 'usage: isobench images build docker|vm|vagrant [--force] [--config FILE]');
  }
  const config = await loadConfig(values.config ?? DEFAULT_CONFIG_PATH);
  // Under sudo the images go into the invoking user's cache, given to that user afterwards: their runs find them there.
  // The Vagrant box likewise goes into the invoking user's Vagrant home (~/.vagrant.d, or VAGRANT_HOME).
  const user = sudoUser();
  const cache = sudoCacheDir(user);
  const vagrantHome = user && target === 'vagrant' ? process.env.VAGRANT_HOME || join(user.home, '.vagrant.d') : undefined;
  const given = [cache, vagrantHome].filter((d): d is string => d !== undefined);
  const created = user ? (await Promise.all(given.map((d) => missingBelow(user.home, d)))).flat() : [];
  if (cache) process.env.ISOBENCH_CACHE = cache;
  if (vagrantHome) process.env.VAGRANT_HOME = vagrantHome;
  try {
    return await build(target, config, values.force);
  } finally {
    if (user) {
      for (const d of created) await lchown(d, user.uid, user.gid).catch(() => undefined);
      for (const d of given) await chownTree(d, user.uid, user.gid);
      process.stderr.write(`note: built into ${user.name}'s ${given.join(' and ')} (given to ${user.name}), where ${user.name}'s runs find it\n`);
    }
  }
}

async function build(target: Target, config: Config, force: boolean | undefined): Promise<number> {
  const kind = target;
  const { notes } = await withCommandContext('images', config, async (ctx) => {
    // Docker needs a reachable engine to build into; the VM image is files (its preflight would trial-boot KVM).
    if (kind === 'docker') {
      const pre = await DRIVERS[kind as Kind]!.preflight(ctx);
      if (!pre.ok) throw new UserError('prerequisite', `${kind}: ${pre.reason}; fix: ${pre.fix}`);
    }
    const t0 = performance.now();
    const built = await BUILDERS[target](ctx, { force });
    ctx.log.info(`${kind} images ready in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(built)}`);
  });
  for (const n of notes) process.stderr.write(`note: ${n}\n`);
  return 0;
}
