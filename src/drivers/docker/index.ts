// The Docker driver: one container environment built from the document's recipe (registry or offline base).
import { LABEL_OWNER } from '../../lifecycle/labels.js';
import { containerMemoryMetrics } from './memory.js';
import { execIn, spawnIn, startContainer, stopContainer } from './container.js';
import { LABEL_ENV } from './container-spec.js';
import { engine } from './engine.js';
import { pruneOwnDangling } from './build.js';
import { buildRequestsImage, imagePython, imageTags, registryPipBuild, resolveBase } from './images.js';
import { lockImages } from './images-lock.js';
import { measureDocker } from './measure.js';
import { dockerPreflight } from './preflight.js';
import { daemonPlacement } from './placement.js';
import { gone } from './run-once.js';
import { createSuiteEnv, preinstalledStep, suiteSpecs } from './suites.js';
import { suiteName } from '../../images/suites.js';
import type { DockerEnv, DockerInstance } from './types.js';
import type { Driver, DriverContext } from '../types.js';

export { buildDockerImages, type DockerImages } from './images.js';
export { buildOfflineBase } from './base.js';
export { buildDockerSuites } from './suites.js';
export type { DockerEnv, DockerInstance } from './types.js';

/** The Docker driver (registered as kind 'docker'). */
export const dockerDriver: Driver<DockerEnv, DockerInstance> = {
  kind: 'docker',
  preflight: dockerPreflight,
  specs: (config) => (config.environments.docker.enabled ? [{ name: 'docker-requests', label: 'docker: requests image' }, ...suiteSpecs(config)] : []),
  async create(spec, ctx) {
    if (spec.suite) {
      const env = await createSuiteEnv({ ...spec, suite: spec.suite }, ctx);
      ctx.cleanup.push(`containers of ${spec.name}`, () => removeContainers(env, ctx));
      return env;
    }
    // Held until destroy: no other isobench process rebuilds the shared tags while this one builds and measures.
    const unlock = await lockImages(ctx);
    let choice: Awaited<ReturnType<typeof resolveBase>>;
    let python: string;
    try {
      choice = await resolveBase(ctx);
      python = choice.python ?? (await imagePython((await engine(ctx)).docker, choice.base, ctx));
    } catch (err) {
      await unlock();
      throw err;
    }
    if (choice.path === 'registry' && registryPipBuild(ctx.config.pip).networkmode === 'host') {
      ctx.note(`docker: the document's Dockerfile is built with host networking, so its pip reaches pip.indexUrl on this machine's loopback`);
    }
    const image = imageTags(choice.path).requests;
    const label = `${image} (${choice.path === 'registry' ? `on ${choice.base}` : `offline, on ${choice.base}`})`;
    const env: DockerEnv = {
      kind: 'docker',
      name: spec.name,
      label,
      image,
      base: choice.base,
      path: choice.path,
      facts: {
        'docker.imagePath': choice.path,
        'docker.baseImage': choice.base,
        'docker.image': image,
        'docker.python': python,
        ...(choice.path === 'offline' ? { 'debian.suite': suiteName(ctx.config.debian.suite) } : {}),
      },
      unlock,
    };
    ctx.cleanup.push(`containers of ${spec.name}`, () => removeContainers(env, ctx));
    return env;
  },
  async install(env, pkgs, ctx) {
    if (env.preinstalled) return preinstalledStep(env.preinstalled);
    const t0 = performance.now();
    try {
      // Uncached, so that the install time is a pip install that ran in this run, never one read back from the cache.
      const r = await buildRequestsImage({ ...ctx, config: { ...ctx.config, packages: pkgs } }, env, { tag: env.image, nocache: true });
      await pruneOwnDangling((await engine(ctx)).docker);
      const source = env.path === 'offline' ? 'from the wheelhouse in the build context' : 'through pip\'s configured index';
      const method = `wall time of an uncached docker build of the requests image (base ${env.base} present): RUN pip install ${pkgs.join(' ')} ${source}, in this run`;
      return { step: 'docker build', ok: true, durationMs: r.durationMs, method };
    } catch (err) {
      return { step: 'docker build', ok: false, durationMs: performance.now() - t0, error: (err as Error).message };
    }
  },
  async start(env, ctx, opts) {
    const { docker } = await engine(ctx);
    return startContainer(docker, env, ctx, opts);
  },
  exec: execIn,
  spawn: spawnIn,
  stop: stopContainer,
  measure: measureDocker,
  memory: (inst) => containerMemoryMetrics(inst),
  async destroy(env, ctx) {
    await removeContainers(env, ctx);
    await env.unlock?.();
  },
  placement: daemonPlacement,
  explain: explainEngineError,
};

const CONNECTION_LOST = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ENOENT']);

/** A lost connection to the Engine in the middle of a run, in words that name the cause and the fix. */
export function explainEngineError(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException;
  if (!e || !CONNECTION_LOST.has(String(e.code)) || !['write', 'read', 'connect'].includes(String(e.syscall))) return undefined;
  return `the Docker daemon stopped answering (${e.syscall} ${e.code}); check it is still running (docker info) and run isobench cleanup for what it left`;
}

/** Removes every container of env this run created (labels isobench.owner + isobench.env); images stay as cache. */
async function removeContainers(env: DockerEnv, ctx: DriverContext): Promise<void> {
  const { docker } = await engine(ctx);
  const found = await docker.listContainers({ all: true, filters: { label: [`${LABEL_OWNER}=${ctx.runId}`, `${LABEL_ENV}=${env.name}`] } });
  await Promise.all(found.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(gone)));
}
