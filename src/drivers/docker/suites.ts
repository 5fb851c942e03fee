// Suite rows: a container of another Debian suite (its own Python, its own OS release) beside the main row,
// built offline like the main row's base (debootstrap from the host's mirror) and measured only for what differs.
import { withSuite } from '../../images/debian.js';
import { suiteName } from '../../images/suites.js';
import type { Config } from '../../config/schema.js';
import { buildOfflineBase, splitTag } from './base.js';
import { engine } from './engine.js';
import { buildRequestsImage, imagePython } from './images.js';
import { lockImages } from './images-lock.js';
import type { DockerEnv } from './types.js';
import type { DriverContext, EnvSpec } from '../types.js';

/** A suite row's images: its offline base (the offline base's repository, tagged with the suite) and its requests image. */
export function suiteTags(offlineBase: string, suite: string): { base: string; requests: string } {
  return { base: `${splitTag(offlineBase).repo}:${suite}`, requests: `isobench/requests:offline-${suite}` };
}

/** What a suite row measures: one start, no warm-ups, the first import only (its size and probes come on top). */
export const SUITE_PLAN = { startSamples: { samples: 1, warmups: 0 }, importSamples: { samples: 0, warmups: 0 } } as const;

/** One row per environments.docker.suites entry (docker-bullseye, …), after the main row. */
export function suiteSpecs(config: Config): EnvSpec[] {
  const d = config.environments.docker;
  if (!d.enabled) return [];
  return d.suites.map((suite) => ({ name: `docker-${suite}`, label: `docker: Debian ${suiteName(suite)} container`, suite }));
}

export interface SuiteImages {
  suite: string;
  base: string;
  requests: string;
  python: string;
  /** Whole build of the base (debootstrap, tar, import), ms; absent when it was already present. */
  baseBuildMs?: number;
}

/** Builds a suite's offline base (unless present) and its requests image on it; the caller holds the images lock. */
async function buildSuite(ctx: DriverContext, suite: string, opts: { force?: boolean }): Promise<SuiteImages> {
  const tags = suiteTags(ctx.config.environments.docker.offlineBase, suite);
  const sctx = withSuite(ctx, suite);
  const base = await buildOfflineBase(sctx, { force: opts.force, image: tags.base });
  await buildRequestsImage(sctx, { path: 'offline', base: tags.base }, { tag: tags.requests, nocache: opts.force });
  const python = await imagePython((await engine(ctx)).docker, tags.requests, ctx);
  return { suite, ...tags, python, ...(base.built ? { baseBuildMs: Math.round(base.durationMs) } : {}) };
}

/** `isobench images build docker`, suite part: every environments.docker.suites entry's base and requests image. */
export async function buildDockerSuites(ctx: DriverContext, opts: { force?: boolean } = {}): Promise<SuiteImages[]> {
  const out: SuiteImages[] = [];
  for (const suite of ctx.config.environments.docker.suites) {
    const unlock = await lockImages(ctx);
    try {
      out.push(await buildSuite(ctx, suite, opts));
    } finally {
      await unlock();
    }
  }
  return out;
}

/** A suite row's environment: its base built when missing (debootstrap, root), its Python read from the base; holds the images lock until destroy. */
export async function createSuiteEnv(spec: EnvSpec & { suite: string }, ctx: DriverContext): Promise<DockerEnv> {
  const tags = suiteTags(ctx.config.environments.docker.offlineBase, spec.suite);
  const unlock = await lockImages(ctx);
  let python: string;
  try {
    const base = await buildOfflineBase(withSuite(ctx, spec.suite), { image: tags.base });
    if (base.built) ctx.note(`docker: the offline base ${tags.base} was built in this run in ${(base.durationMs / 1000).toFixed(0)} s (debootstrap ${spec.suite}); isobench images build docker builds it ahead`);
    python = await imagePython((await engine(ctx)).docker, tags.base, ctx);
  } catch (err) {
    await unlock();
    throw err;
  }
  const suite = suiteName(spec.suite);
  return {
    kind: 'docker',
    name: spec.name,
    label: `${tags.requests} (offline, on ${tags.base}: Debian ${suite}, Python ${python}; one start, probes and size only)`,
    image: tags.requests,
    base: tags.base,
    path: 'offline',
    sizeOnly: true,
    ...SUITE_PLAN,
    facts: { 'docker.imagePath': 'offline', 'docker.baseImage': tags.base, 'docker.image': tags.requests, 'docker.python': python, 'debian.suite': suite },
    unlock,
  };
}
