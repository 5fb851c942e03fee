// `isobench images build docker|vm`: builds the offline images from Debian's packages (cached).
import { UserError } from '../config/errors.js';
import { loadConfig, DEFAULT_CONFIG_PATH } from '../config/load.js';
import { buildDockerImages } from '../drivers/docker/index.js';
import { buildVmImage } from '../drivers/vm/index.js';
import { DRIVERS } from '../drivers/registry.js';
import { withCommandContext } from './context.js';
import type { DriverContext, Kind } from '../drivers/types.js';

interface Parsed {
  values: { force?: boolean; config?: string };
  positionals: string[];
}

const BUILDERS: Record<'docker' | 'vm', (ctx: DriverContext, opts: { force?: boolean }) => Promise<unknown>> = {
  docker: buildDockerImages,
  vm: buildVmImage,
};

/** Runs `isobench images build KIND`. */
export async function imagesCommand({ values, positionals }: Parsed): Promise<number> {
  const [verb, kind, ...extra] = positionals;
  if (verb !== 'build' || (kind !== 'docker' && kind !== 'vm') || extra.length) {
    throw new UserError('usage', 'usage: isobench images build docker|vm [--force] [--config FILE]');
  }
  const config = await loadConfig(values.config ?? DEFAULT_CONFIG_PATH);
  const { notes } = await withCommandContext('images', config, async (ctx) => {
    // Docker needs a reachable engine to build into; the VM image is files (its preflight would trial-boot KVM).
    if (kind === 'docker') {
      const pre = await DRIVERS[kind as Kind]!.preflight(ctx);
      if (!pre.ok) throw new UserError('prerequisite', `${kind}: ${pre.reason}; fix: ${pre.fix}`);
    }
    const t0 = performance.now();
    const built = await BUILDERS[kind](ctx, { force: values.force });
    ctx.log.info(`${kind} images ready in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(built)}`);
  });
  for (const n of notes) process.stderr.write(`note: ${n}\n`);
  return 0;
}
