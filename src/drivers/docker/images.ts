// isobench's Docker images: which base (registry or offline), the requests image, the layer-sharing pair.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { PACKAGE_ROOT } from '../../lifecycle/paths.js';
import { ensureWheelhouse } from '../wheelhouse.js';
import { buildOfflineBase } from './base.js';
import { buildImage, inspectImage, pruneOwnDangling, pullImage, type BuildResult } from './build.js';
import { contextEntries } from './context.js';
import { engine } from './engine.js';
import { lockImages } from './images-lock.js';
import { runOnce } from './run-once.js';
import type { DriverContext } from '../types.js';

/** Where the base came from: the document's registry image, or isobench's debootstrapped Debian. */
export type ImagePath = 'registry' | 'offline';

export interface BaseChoice {
  path: ImagePath;
  base: string;
}

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

/** Picks the base per config pull (auto|always|never): present or pulled registry image, else the offline base. */
export async function resolveBase(ctx: DriverContext, opts: { force?: boolean } = {}): Promise<BaseChoice> {
  const cfg = ctx.config.environments.docker;
  const { docker } = await engine(ctx);
  if (cfg.pull !== 'never') {
    if (await inspectImage(docker, cfg.baseImage)) return { path: 'registry', base: cfg.baseImage };
    try {
      await pullImage(docker, cfg.baseImage, ctx);
      ctx.note(`docker: pulled ${cfg.baseImage}, the document's base image`);
      return { path: 'registry', base: cfg.baseImage };
    } catch (err) {
      const why = (err as Error).message;
      if (cfg.pull === 'always') {
        throw new Error(`${why}; set environments.docker.pull to auto or never to use the offline Debian base`);
      }
      ctx.note(`docker: ${cfg.baseImage} could not be pulled (${pullFailure(why)}); used the offline base ${cfg.offlineBase} (debootstrap ${ctx.config.debian.suite})`);
    }
  } else {
    ctx.note(`docker: pull=never, used the offline base ${cfg.offlineBase} (debootstrap ${ctx.config.debian.suite})`);
  }
  await buildOfflineBase(ctx, { force: opts.force });
  return { path: 'offline', base: cfg.offlineBase };
}

/** Builds the requests image on `choice` (offline: requests from a wheelhouse in the context). */
export async function buildRequestsImage(
  ctx: DriverContext,
  choice: BaseChoice,
  opts: { nocache?: boolean; tag?: string } = {},
): Promise<BuildResult & { tag: string }> {
  const { docker } = await engine(ctx);
  const tag = opts.tag ?? imageTags(choice.path).requests;
  const dir = join(PACKAGE_ROOT, 'docker', choice.path === 'registry' ? 'requests' : 'requests-offline');
  const wheels = choice.path === 'offline' ? await wheelFiles(docker, choice.base, ctx) : [];
  const context = contextEntries(dir, await readdir(dir), wheels);
  const buildArgs = { BASE: choice.base, PACKAGES: ctx.config.packages.join(' ') };
  return { tag, ...(await buildImage(docker, { tag, context, buildArgs, nocache: opts.nocache }, ctx)) };
}

/** Builds the layer-sharing pair A and B on the requests image. */
export async function buildLayerPair(ctx: DriverContext, path: ImagePath, opts: { nocache?: boolean } = {}): Promise<{ a: string; b: string }> {
  const { docker } = await engine(ctx);
  const tags = imageTags(path);
  for (const x of ['a', 'b'] as const) {
    const dir = join(PACKAGE_ROOT, 'docker', 'layers', x);
    const context = contextEntries(dir, await readdir(dir));
    await buildImage(docker, { tag: tags[x], context, buildArgs: { BASE: tags.requests }, nocache: opts.nocache }, ctx);
  }
  await pruneOwnDangling(docker);
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

/** Python major.minor of an image's python3, from a one-shot container. */
export async function imagePython(docker: Docker, image: string, ctx: DriverContext): Promise<string> {
  const r = await runOnce(docker, image, ['python3', '-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], ctx);
  const v = r.stdout.trim();
  if (r.exitCode !== 0 || !/^\d+\.\d+$/.test(v)) throw new Error(`${image}: python3 did not report its version (exit ${r.exitCode}): ${r.stderr.trim()}`);
  return v;
}

async function wheelFiles(docker: Docker, base: string, ctx: DriverContext): Promise<string[]> {
  const dir = await ensureWheelhouse(ctx.config.packages, { pythonVersion: await imagePython(docker, base, ctx) }, ctx);
  return (await readdir(dir)).map((f) => join(dir, f));
}

/** Why a pull failed, in words that name no registry address (the report may be shared or committed). */
export function pullFailure(message: string): string {
  const line = message.split('\n')[0]!;
  if (/no such host|server misbehaving/.test(line)) return 'the registry\'s name does not resolve: no network to it';
  if (/connection refused|i\/o timeout|network is unreachable|Client\.Timeout/.test(line)) return 'the registry cannot be reached';
  if (/not found|manifest unknown|pull access denied/i.test(line)) return 'the registry has no such image or refuses access';
  return line.replace(/"?https?:\/\/[^\s"]+"?/g, '<registry>').replace(/lookup \S+ on \S+/g, 'lookup').slice(0, 200);
}
