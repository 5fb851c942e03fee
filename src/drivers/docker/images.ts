// isobench's Docker images: which base (registry or offline), the requests image, the layer-sharing pair.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { PACKAGE_ROOT } from '../../lifecycle/paths.js';
import { ensureWheelhouse } from '../wheelhouse.js';
import { buildImage, type BuildResult } from './build.js';
import { contextEntries } from './context.js';
import { engine } from './engine.js';
import { noPythonLine, probePython } from './python-probe.js';
import { isLoopbackUrl, registryName } from './registry-ref.js';
import { resolveBase, type BaseChoice, type ImagePath } from './resolve-base.js';
import type { PipConfig } from '../../config/schema.js';
import { lockImages } from './images-lock.js';
import type { DriverContext } from '../types.js';

export { resolveBase, type BaseChoice, type ImagePath } from './resolve-base.js';

export interface DockerImages extends BaseChoice {
  requests: string;
  layers: { a: string; b: string };
  /** Python major.minor inside the images. */
  python: string;
}

/** The tags isobench builds for a path, e.g. isobench/requests:offline. */
export function imageTags(path: ImagePath): { requests: string; a: string; b: string } {
  return { requests: `isobench/requests:${path}`, a: `isobench/layers-a:${path}`, b: `isobench/layers-b:${path}` };
}

/** Builds the requests image on `choice` (offline: requests from a wheelhouse in the context; registry: the document's Dockerfile). */
export async function buildRequestsImage(
  ctx: DriverContext,
  choice: BaseChoice,
  opts: { nocache?: boolean; tag?: string } = {},
): Promise<BuildResult & { tag: string }> {
  const { docker } = await engine(ctx);
  const tag = opts.tag ?? imageTags(choice.path).requests;
  const registry = choice.path === 'registry';
  const dir = join(PACKAGE_ROOT, 'docker', registry ? 'requests' : 'requests-offline');
  const wheels = registry ? [] : await wheelFiles(docker, choice.base, ctx);
  const context = contextEntries(dir, await readdir(dir), wheels);
  const pip = registry ? registryPipBuild(ctx.config.pip) : { buildArgs: {} };
  const buildArgs = { BASE: choice.base, PACKAGES: ctx.config.packages.join(' '), ...pip.buildArgs };
  try {
    return { tag, ...(await buildImage(docker, { tag, context, buildArgs, nocache: opts.nocache, networkmode: pip.networkmode }, ctx)) };
  } catch (err) {
    if (!registry) throw err;
    throw new Error(await explainRegistryBuild(docker, choice.base, (err as Error).message, ctx));
  }
}

/** pip's index inside the document's Dockerfile build: PIP_INDEX_URL from pip.indexUrl; host networking when it is on loopback. */
export function registryPipBuild(pip: Pick<PipConfig, 'indexUrl'>): { buildArgs: Record<string, string>; networkmode?: 'host' } {
  if (!pip.indexUrl) return { buildArgs: {} };
  return { buildArgs: { PIP_INDEX_URL: pip.indexUrl }, ...(isLoopbackUrl(pip.indexUrl) ? { networkmode: 'host' as const } : {}) };
}

/** A failed build of the document's Dockerfile, in words: a base without Python says so; else the build's own error and a hint. */
async function explainRegistryBuild(docker: Docker, base: string, message: string, ctx: DriverContext): Promise<string> {
  const py = await probePython(docker, base, ctx).catch(() => undefined);
  if (py && 'missing' in py) return `docker build failed: ${noPythonLine(base, registryName(base), py.missing)}`;
  if (/pip: not found|No module named pip/.test(message)) return `${message}; the base image ${base} has Python ${py?.version ?? ''} but no pip, which the document's Dockerfile runs`;
  if (/No matching distribution|Could not find a version|NewConnectionError|Max retries exceeded/.test(message)) {
    return `${message}; pip in the build could not reach its index: set pip.indexUrl to a reachable index (one on this machine's loopback is reached through host networking)`;
  }
  return message;
}

/**
 * pip's settings for the layer pair's dependency step (RUN pip install before the app's COPY): offline, the wheelhouse
 * the requests image holds (/wheels, no index); with a registry, the index the document's Dockerfile used.
 */
export function layerPipBuild(path: ImagePath, ctx: Pick<DriverContext, 'config'>): { buildArgs: Record<string, string>; networkmode?: 'host' } {
  const packages = { PACKAGES: ctx.config.packages.join(' ') };
  if (path !== 'registry') return { buildArgs: { ...packages, PIP_NO_INDEX: '1', PIP_FIND_LINKS: '/wheels' } };
  const pip = registryPipBuild(ctx.config.pip);
  return { ...pip, buildArgs: { ...packages, ...pip.buildArgs } };
}

/** Builds the layer-sharing pair A and B on the requests image. */
export async function buildLayerPair(ctx: DriverContext, path: ImagePath, opts: { nocache?: boolean } = {}): Promise<{ a: string; b: string }> {
  const { docker } = await engine(ctx);
  const tags = imageTags(path);
  for (const x of ['a', 'b'] as const) {
    const dir = join(PACKAGE_ROOT, 'docker', 'layers', x);
    const context = contextEntries(dir, await readdir(dir));
    const pip = layerPipBuild(path, ctx);
    await buildImage(docker, { tag: tags[x], context, buildArgs: { BASE: tags.requests, ...pip.buildArgs }, nocache: opts.nocache, networkmode: pip.networkmode }, ctx);
  }
  return { a: tags.a, b: tags.b };
}

/** `isobench images build docker`: the base (pulled or debootstrapped), the requests image and the layer pair. */
export async function buildDockerImages(ctx: DriverContext, opts: { force?: boolean } = {}): Promise<DockerImages> {
  const unlock = await lockImages(ctx);
  try {
    const choice = await resolveBase(ctx, opts);
    const requests = await buildRequestsImage(ctx, choice, { nocache: opts.force });
    const layers = await buildLayerPair(ctx, choice.path, { nocache: opts.force });
    const { docker } = await engine(ctx);
    return { ...choice, requests: requests.tag, layers, python: await imagePython(docker, requests.tag, ctx) };
  } finally {
    await unlock();
  }
}

/** Python major.minor of an image's python3, from a one-shot container; throws when it has none. */
export async function imagePython(docker: Docker, image: string, ctx: DriverContext): Promise<string> {
  const py = await probePython(docker, image, ctx);
  if ('missing' in py) throw new Error(`${image}: ${py.missing}`);
  return py.version;
}

async function wheelFiles(docker: Docker, base: string, ctx: DriverContext): Promise<string[]> {
  const dir = await ensureWheelhouse(ctx.config.packages, { pythonVersion: await imagePython(docker, base, ctx) }, ctx);
  return (await readdir(dir)).map((f) => join(dir, f));
}
