// Which base the requests image is built on: the document's image from its registry (pulled, checked for Python), or the offline base.
import { UserError } from '../../config/errors.js';
import { buildOfflineBase } from './base.js';
import { inspectImage, pullImage, PullError } from './build.js';
import { engine } from './engine.js';
import { explainPull, pullFailureLine } from './pull-failure.js';
import { noPythonLine, probePython } from './python-probe.js';
import { baseReference, registryName } from './registry-ref.js';
import type { DriverContext } from '../types.js';

/** Where the base came from: the document's registry image, or isobench's debootstrapped Debian. */
export type ImagePath = 'registry' | 'offline';

export interface BaseChoice {
  path: ImagePath;
  /** The full reference built on, e.g. python:3.9-slim, 127.0.0.1:5000/library/python:3.9-slim or the offline base. */
  base: string;
  /** Python major.minor of the base, when it was checked here (the registry path). */
  python?: string;
}

const AUTO_OR_NEVER = 'or set environments.docker.pull to auto or never to use the offline Debian base';

/** Picks the base per config pull (auto|always|never): present or pulled registry image with Python, else the offline base. */
export async function resolveBase(ctx: DriverContext, opts: { force?: boolean } = {}): Promise<BaseChoice> {
  const cfg = ctx.config.environments.docker;
  const offline = `the offline base ${cfg.offlineBase} (debootstrap ${ctx.config.debian.suite})`;
  if (cfg.pull === 'never') {
    ctx.note(`docker: pull=never, used ${offline}`);
  } else {
    const base = baseReference(cfg);
    const got = await registryBase(base, ctx);
    if ('python' in got) return { path: 'registry', base, python: got.python };
    if (cfg.pull === 'always') throw new UserError('prerequisite', `docker: ${got.failed}, ${AUTO_OR_NEVER}`);
    ctx.note(`docker: ${got.failed}; pull=auto, so used ${offline}`);
  }
  await buildOfflineBase(ctx, { force: opts.force });
  return { path: 'offline', base: cfg.offlineBase };
}

/** The registry image present or pulled, with its Python; or one line saying why it cannot be used. */
async function registryBase(image: string, ctx: DriverContext): Promise<{ python: string } | { failed: string }> {
  const { docker } = await engine(ctx);
  const registry = registryName(image);
  let pulledMs: number | undefined;
  if (!(await inspectImage(docker, image))) {
    const t0 = performance.now();
    try {
      await pullImage(docker, image, ctx);
    } catch (err) {
      return { failed: pullFailureLine(image, explainPull(image, (err as Error).message, err instanceof PullError ? err.progress : undefined)) };
    }
    pulledMs = performance.now() - t0;
  }
  const py = await probePython(docker, image, ctx);
  if ('missing' in py) return { failed: noPythonLine(image, registry, py.missing) };
  const how = pulledMs === undefined ? 'already present' : `pulled from ${registry} in ${(pulledMs / 1000).toFixed(1)} s`;
  ctx.note(`docker: the document's base image ${image} (${how}; Python ${py.version}); the requests image is built from the document's Dockerfile`);
  return { python: py.version };
}
