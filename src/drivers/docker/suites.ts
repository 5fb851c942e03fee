// Suite rows: a container of another Debian suite (its own Python, its own OS release) beside the main row, built
// offline like the main row's base (debootstrap from the host's mirror), with the packages as that suite ships them
// (python3-requests: the pip index may hold no wheel for its Python), and measured only for what differs.
import { withSuite, debianPythonPackages } from '../../images/debian.js';
import { suiteName } from '../../images/suites.js';
import type { Config } from '../../config/schema.js';
import { buildOfflineBase } from './base.js';
import { engine } from './engine.js';
import { imagePython } from './images.js';
import { lockImages } from './images-lock.js';
import type { DockerEnv } from './types.js';
import type { DriverContext, EnvSpec, Step } from '../types.js';
import { SUITE_PLAN } from '../plans.js';

/** A suite row's image: debootstrap of the suite with python3 and Debian's packages of config.packages. */
export const suiteImage = (suite: string) => `isobench/requests:debian-${suite}`;


/** One row per environments.docker.suites entry (docker-bullseye, …), after the main row. */
export function suiteSpecs(config: Config): EnvSpec[] {
  const d = config.environments.docker;
  if (!d.enabled) return [];
  return d.suites.map((suite) => ({ name: `docker-${suite}`, label: `docker: Debian ${suiteName(suite)} container`, suite }));
}

export interface SuiteImage {
  suite: string;
  image: string;
  python: string;
  /** Whole build (debootstrap, tar, import), ms; absent when it was already present. */
  buildMs?: number;
}

/** Builds a suite's image unless present (or forced); the caller holds the images lock. */
async function buildSuite(ctx: DriverContext, suite: string, opts: { force?: boolean }): Promise<SuiteImage> {
  const image = suiteImage(suite);
  const built = await buildOfflineBase(withSuite(ctx, suite), { force: opts.force, image });
  const python = await imagePython((await engine(ctx)).docker, image, ctx);
  return { suite, image, python, ...(built.built ? { buildMs: Math.round(built.durationMs) } : {}) };
}

/** `isobench images build docker`, suite part: the image of every environments.docker.suites entry. */
export async function buildDockerSuites(ctx: DriverContext, opts: { force?: boolean } = {}): Promise<SuiteImage[]> {
  const out: SuiteImage[] = [];
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

/** A suite row's environment: its image built when missing (debootstrap, root), its Python read from it; holds the images lock until destroy. */
export async function createSuiteEnv(spec: EnvSpec & { suite: string }, ctx: DriverContext): Promise<DockerEnv> {
  const unlock = await lockImages(ctx);
  let got: SuiteImage;
  try {
    got = await buildSuite(ctx, spec.suite, {});
    if (got.buildMs) ctx.note(`docker: ${got.image} was built in this run in ${(got.buildMs / 1000).toFixed(0)} s (debootstrap ${spec.suite}); isobench images build docker builds it ahead`);
  } catch (err) {
    await unlock();
    throw err;
  }
  const suite = suiteName(spec.suite);
  const measuredBy = await engine(ctx);
  const by = measuredBy.name === 'Podman' ? `; on Podman ${measuredBy.version} (its Docker-compatible API at ${measuredBy.host})` : '';
  const pkgs = debianPythonPackages(withSuite(ctx, spec.suite).config).join(', ');
  return {
    kind: 'docker',
    name: spec.name,
    label: `${got.image} (offline: debootstrap of Debian ${suite} with python3 ${got.python} and ${pkgs}; one start, probes and size only${by})`,
    image: got.image,
    base: got.image,
    path: 'offline',
    sizeOnly: true,
    network: 'bridge',
    ownCgroup: true,
    ownBuild: true,
    preinstalled: `${pkgs} from Debian ${suite}'s archive, in the image's debootstrap (not timed apart); the pip index here has no wheels of every dependency for Python ${got.python}`,
    plan: SUITE_PLAN,
    facts: { 'docker.imagePath': 'offline', subject: 'debootstrap-image', 'docker.baseImage': got.image, 'docker.image': got.image, 'docker.python': got.python, 'debian.suite': suite, 'packages.from': pkgs, 'isolation.step': 'container', 'engine.name': measuredBy.name, 'engine.version': measuredBy.version, 'engine.host': measuredBy.host },
    unlock,
  };
}

/** The install step of an env whose packages came with its image: ran at build, no install.ms of its own. */
export function preinstalledStep(method: string): Step {
  return { step: 'install', ok: true, durationMs: 0, untimed: true, method };
}
