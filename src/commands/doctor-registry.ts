// doctor's registry row: can the document's base image come from its registry (Docker Hub, a mirror, a local registry)?
import { engine } from '../drivers/docker/engine.js';
import { inspectImage } from '../drivers/docker/build.js';
import { explainPull } from '../drivers/docker/pull-failure.js';
import { baseReference, isLoopbackUrl, registryName, registryOf } from '../drivers/docker/registry-ref.js';
import type { DriverContext } from '../drivers/types.js';

/** One doctor row (the shape doctor.ts prints). */
export interface RegistryRow {
  what: string;
  ok: boolean;
  detail: string;
  needed: boolean;
}

/** Checks the base image's registry by asking the Engine for the manifest only (no download). */
export async function registryRow(ctx: DriverContext): Promise<RegistryRow> {
  const cfg = ctx.config.environments.docker;
  const image = baseReference(cfg);
  const registry = registryName(image);
  const what = `registry for ${cfg.baseImage}${image === cfg.baseImage ? '' : ` (via ${cfg.registry})`}`;
  const needed = cfg.enabled && cfg.pull === 'always';
  if (cfg.pull === 'never') return { what, ok: true, detail: 'not used (environments.docker.pull: never): the offline base is used', needed };
  const where = whereWords(image, registry);
  try {
    const { docker } = await engine(ctx);
    if (await inspectImage(docker, image)) return { what, ok: true, detail: `${image} is present locally: the document's Dockerfile is used`, needed };
    await docker.getImage(image).distribution();
    return { what, ok: true, detail: `${where} has ${image}: the document's Dockerfile is used`, needed };
  } catch (err) {
    const f = explainPull(image, (err as Error).message);
    const then = cfg.pull === 'always' ? 'pull: always, so the docker environment fails' : 'the offline base is used instead (isobench images build docker)';
    return { what, ok: false, detail: `${f.cause}; fix: ${f.fix}; until then ${then}`, needed };
  }
}

function whereWords(image: string, registry: string): string {
  const host = registryOf(image);
  if (!host) return registry;
  return isLoopbackUrl(`http://${host}/`) ? `the local registry ${host} (on this machine's loopback, where dockerd allows plain HTTP)` : `the registry ${host}`;
}
