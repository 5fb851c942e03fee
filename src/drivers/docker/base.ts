// The offline base image: debootstrap a minimal Debian with python3, tar it, import it through the Engine API.
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { debianPythonPackages, debootstrap, removeBuildTree } from '../../images/debian.js';
import { runOk } from '../../lifecycle/process.js';
import { imageLabels, VERSION } from '../../lifecycle/labels.js';
import { followEvents } from './events.js';
import { inspectImage, stepSignal } from './build.js';
import { engine, streaming } from './engine.js';
import type { DriverContext } from '../types.js';

/** Debian packages of the offline base: python3 and what `python3 -m venv` needs to install wheels with pip. */
export const BASE_PACKAGES = ['python3', 'python3-venv'];

/** Splits "repo:tag" (a registry port's colon is not a tag). */
export function splitTag(image: string): { repo: string; tag: string } {
  const i = image.lastIndexOf(':');
  if (i <= image.lastIndexOf('/')) return { repo: image, tag: 'latest' };
  return { repo: image.slice(0, i), tag: image.slice(i + 1) };
}

/** Where an image with its packages from Debian has its venv (as the requests image's Dockerfile puts its own). */
export const DEBIAN_PACKAGES_VENV = '/opt/venv';

/** The Dockerfile instructions applied on import: labels (no run id: see imageLabels), PATH (a venv's bin first, when given), locale, default command. */
export function importChanges(venv?: string): string[] {
  return [
    `LABEL ${Object.entries(imageLabels()).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    `ENV PATH=${venv ? `${venv}/bin:` : ''}/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    'ENV LANG=C.UTF-8',
    'CMD ["python3"]',
  ];
}

export interface BaseResult {
  image: string;
  /** False when the image was already present (cached) and not forced. */
  built: boolean;
  durationMs: number;
}

/**
 * Builds an offline base (default config.environments.docker.offlineBase) from debootstrap of config.debian.suite
 * unless present (or forced); needs root and debootstrap.
 */
export async function buildOfflineBase(ctx: DriverContext, opts: { force?: boolean; image?: string } = {}): Promise<BaseResult> {
  const image = opts.image ?? ctx.config.environments.docker.offlineBase;
  const { docker } = await engine(ctx);
  const t0 = performance.now();
  if (!opts.force && (await inspectImage(docker, image))) return { image, built: false, durationMs: 0 };
  await mkdir(ctx.workDir, { recursive: true });
  const dir = await mkdtemp(join(ctx.workDir, 'docker-base-'));
  const removeDir = ctx.cleanup.push(`offline base build dir ${dir}`, () => removeBuildTree(dir));
  try {
    const root = join(dir, 'rootfs');
    const fromDebian = debianPythonPackages(ctx.config);
    await debootstrap(root, [...BASE_PACKAGES, ...fromDebian], ctx);
    const timeoutMs = ctx.config.timeouts.stepSec * 1000;
    // Debian's packages are in the system's site-packages: a venv that sees them is where the environment's python runs
    // and installs (PEP 668), as in the requests image.
    const venv = fromDebian.length ? DEBIAN_PACKAGES_VENV : undefined;
    if (venv) await runOk(['chroot', root, 'python3', '-m', 'venv', '--system-site-packages', venv], { step: 'python3 -m venv (image)', timeoutMs, signal: ctx.signal });
    await slim(root);
    const tarPath = join(dir, 'rootfs.tar');
    await runOk(['tar', '--numeric-owner', '--xattrs', '-C', root, '-cf', tarPath, '.'], { step: 'tar offline base', timeoutMs, signal: ctx.signal });
    await importTar(docker, tarPath, image, ctx, venv);
  } finally {
    await removeDir();
  }
  const durationMs = performance.now() - t0;
  ctx.log.info(`offline base ${image} built in ${(durationMs / 1000).toFixed(1)} s`);
  return { image, built: true, durationMs };
}

/** Empties what a -slim image leaves out: package caches, apt lists, docs, man pages, translations. */
async function slim(root: string): Promise<void> {
  for (const d of SLIM_DIRS) {
    await rm(join(root, d), { recursive: true, force: true });
    await mkdir(join(root, d), { recursive: true });
  }
  await mkdir(join(root, 'var/cache/apt/archives/partial'), { recursive: true });
  await mkdir(join(root, 'var/lib/apt/lists/partial'), { recursive: true });
}

const SLIM_DIRS = ['var/cache/apt/archives', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/locale'];

async function importTar(docker: Docker, tarPath: string, image: string, ctx: DriverContext, venv?: string): Promise<void> {
  const { repo, tag } = splitTag(image);
  ctx.log.info(`importing ${tarPath} as ${image}`);
  const stream = await streaming(docker).importImage(createReadStream(tarPath), {
    repo,
    tag,
    changes: importChanges(venv),
    message: `isobench ${VERSION} offline base: debootstrap ${ctx.config.debian.suite} + ${[...BASE_PACKAGES, ...debianPythonPackages(ctx.config)].join(', ')}`,
    abortSignal: stepSignal(ctx),
  });
  await followEvents(stream, (ev) => ev.status && ctx.log.debug(`import ${image}: ${ev.status}`), `docker import ${image}`);
}
