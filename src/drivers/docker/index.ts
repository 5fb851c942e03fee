// The Docker driver: one container environment built from the document's recipe (registry or offline base).
import { LABEL_OWNER } from '../../lifecycle/labels.js';
import { containerMemoryMetrics } from './memory.js';
import { execIn, spawnIn, startContainer, stopContainer, upperPath } from './container.js';
import { LABEL_ENV } from './container-spec.js';
import { engine, type Engine } from './engine.js';
import { buildRequestsImage, imagePython, imageTags, registryPipBuild, resolveBase } from './images.js';
import { lockImages } from './images-lock.js';
import { measureDocker } from './measure.js';
import { dockerPreflight } from './preflight.js';
import { daemonPlacement } from './placement.js';
import { gone } from './run-once.js';
import { createSuiteEnv, preinstalledStep, suiteSpecs } from './suites.js';
import { suiteName } from '../../images/suites.js';
import type { DockerEnv, DockerInstance } from './types.js';
import { copyImage, podmanCgroups, podmanEngine, podmanNetwork, registeredRuntime, registerRunscFix, rowContext, rowPreflight, runscPlatformOf } from './row-engine.js';
import { dockerRows, rowOf, type DockerRow } from './rows.js';
import type { Driver, DriverContext, Step } from '../types.js';

export { buildDockerImages, type DockerImages } from './images.js';
export { buildOfflineBase } from './base.js';
export { buildDockerSuites } from './suites.js';
export type { DockerEnv, DockerInstance } from './types.js';

/** The Docker driver (registered as kind 'docker'): its rows are the Docker engine, gVisor's runtime and rootless Podman. */
export const dockerDriver: Driver<DockerEnv, DockerInstance> = {
  kind: 'docker',
  preflight: dockerPreflight,
  preflightSpec: (spec, ctx) => (spec.suite ? Promise.resolve(undefined) : rowPreflight(rowOf(ctx.config, spec.name), ctx)),
  specs: (config) => [...dockerRows(config).map(({ name, label }) => ({ name, label })), ...suiteSpecs(config)],
  async create(spec, ctx) {
    if (spec.suite) {
      const env = await createSuiteEnv({ ...spec, suite: spec.suite }, ctx);
      ctx.cleanup.push(`containers of ${spec.name}`, () => removeContainers(env, ctx));
      return env;
    }
    const row = rowOf(ctx.config, spec.name);
    // Held until destroy: no other isobench process rebuilds the shared tags while this one builds and measures.
    const unlock = await lockImages(ctx);
    let choice: Awaited<ReturnType<typeof resolveBase>>;
    let python: string;
    let on: Target;
    try {
      choice = await resolveBase(ctx);
      python = choice.python ?? (await imagePython((await engine(ctx)).docker, choice.base, ctx));
      on = await rowTarget(row, ctx);
    } catch (err) {
      await unlock();
      throw err;
    }
    if (choice.path === 'registry' && registryPipBuild(ctx.config.pip).networkmode === 'host') {
      ctx.note(`docker: the document's Dockerfile is built with host networking, so its pip reaches pip.indexUrl on this machine's loopback`);
    }
    const image = imageTags(choice.path).requests;
    // Which engine measures the row, from its /version: a row that ran on Podman says Podman, never Docker.
    const measuredBy = await engine(rowContext(ctx, on.host));
    const by = !on.host && measuredBy.name === 'Podman' ? `, on Podman ${measuredBy.version} (its Docker-compatible API at ${measuredBy.host})` : '';
    const label = `${image} (${choice.path === 'registry' ? `on ${choice.base}` : `offline, on ${choice.base}`})${on.label}${by}`;
    const env: DockerEnv = {
      kind: 'docker',
      name: spec.name,
      label,
      image,
      base: choice.base,
      path: choice.path,
      host: on.host,
      runtime: on.runtime,
      network: on.network,
      ownCgroup: on.ownCgroup,
      ownBuild: row.ownBuild,
      ...(on.network === 'none' ? { noPublish: 'its containers run with network none' } : {}),
      facts: {
        'docker.imagePath': choice.path,
        subject: choice.path === 'registry' ? 'pulled-image' : 'debootstrap-image',
        'docker.baseImage': choice.base,
        'docker.image': image,
        'docker.python': python,
        ...(choice.path === 'offline' ? { 'debian.suite': suiteName(ctx.config.debian.suite) } : {}),
        'isolation.step': row.step,
        ...engineFacts(measuredBy),
        ...on.facts,
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
      if (!env.ownBuild) return await installFromDockerRow(env, pkgs, ctx);
      // Uncached, so that the install time is a pip install that ran in this run, never one read back from the cache.
      const r = await buildRequestsImage({ ...ctx, config: { ...ctx.config, packages: pkgs } }, env, { tag: env.image, nocache: true });
      const source = env.path === 'offline' ? 'from the wheelhouse in the build context' : 'through pip\'s configured index';
      const method = `wall time of an uncached docker build of the requests image (base ${env.base} present): RUN pip install ${pkgs.join(' ')} ${source}, in this run`;
      return { step: 'docker build', ok: true, durationMs: r.durationMs, method };
    } catch (err) {
      return { step: env.ownBuild ? 'docker build' : 'image', ok: false, durationMs: performance.now() - t0, error: (err as Error).message };
    }
  },
  async start(env, ctx, opts) {
    const { docker } = await engine(rowContext(ctx, env.host));
    return startContainer(docker, env, ctx, opts);
  },
  exec: execIn,
  spawn: spawnIn,
  stop: stopContainer,
  measure: (env, ctx) => measureDocker(env, rowContext(ctx, env.host)),
  memory: (inst) => containerMemoryMetrics(inst),
  async destroy(env, ctx) {
    await removeContainers(env, ctx);
    await env.unlock?.();
  },
  placement: (ctx, env) => daemonPlacement(rowContext(ctx, env?.host)),
  hostPath: upperPath,
  explain: explainEngineError,
};

/** The engine that measured a row, for its facts: Docker or Podman (from /version), its version and address. */
export function engineFacts(e: Pick<Engine, 'name' | 'version' | 'host'>): Record<string, string> {
  return { 'engine.name': e.name, 'engine.version': e.version, 'engine.host': e.host };
}

/** Where a row's containers run: its engine address, runtime and network, and the label and facts that say so. */
type Target = Pick<DockerEnv, 'host' | 'runtime' | 'network' | 'ownCgroup'> & { label: string; facts: Record<string, string> };

async function rowTarget(row: DockerRow, ctx: DriverContext): Promise<Target> {
  if (row.engine === 'podman') {
    const p = await podmanEngine(ctx);
    const network = await podmanNetwork(ctx);
    const cgroups = await podmanCgroups(p.docker);
    if (network === 'none') ctx.note(`podman: containers run with network none (/dev/net/tun is not open to uid ${p.uid}, so slirp4netns cannot start); set environments.docker.podman.network to choose`);
    if (!cgroups.own) ctx.note(`podman: memory.container.bytes not measured: rootless containers get no cgroup of their own here (${cgroups.seen}); the stats API would report another quantity`);
    const facts = { 'podman.host': p.host, 'podman.uid': String(p.uid), 'podman.network': network, 'podman.cgroups': cgroups.seen };
    return { host: p.host, network, ownCgroup: cgroups.own, label: `, rootless Podman as uid ${p.uid}`, facts };
  }
  if (!row.runtime) return { network: 'bridge', ownCgroup: true, label: '', facts: {} };
  const rt = await registeredRuntime((await engine(ctx)).docker, row.runtime);
  if (!rt) throw new Error(`the runtime ${row.runtime} is not registered with the Docker daemon; ${registerRunscFix(row.runtime)}`);
  const platform = await runscPlatformOf(rt);
  const args = rt.runtimeArgs?.length ? `, ${rt.runtimeArgs.join(' ')}` : '';
  return { runtime: row.runtime, network: 'bridge', ownCgroup: true, label: `, gVisor runtime ${row.runtime} (${platform} platform${args})`, facts: { 'gvisor.runtime': row.runtime, 'gvisor.platform': platform, 'gvisor.runtimeArgs': (rt.runtimeArgs ?? []).join(' '), 'memory.processes.seenBy': 'sandbox-kernel' } };
}

/** A row that runs the Docker row's image: a cached build on the Docker engine (pip ran in its uncached build), copied to Podman where the row runs there. */
async function installFromDockerRow(env: DockerEnv, pkgs: string[], ctx: DriverContext): Promise<Step> {
  const built = await buildRequestsImage({ ...ctx, config: { ...ctx.config, packages: pkgs } }, env, { tag: env.image });
  if (!env.host) {
    const method = `cached Engine API build of the requests image on the Docker engine (the same image as the Docker row; pip ran in that row's uncached build); runtime ${env.runtime ?? 'default'} runs it`;
    return { step: 'image (cached build)', ok: true, durationMs: built.durationMs, method };
  }
  const main = await engine(ctx);
  if (main.host === env.host) {
    const method = `cached Engine API build of the requests image on this Podman (the same engine as the container row, whose uncached build ran pip)`;
    return { step: 'image (cached build)', ok: true, durationMs: built.durationMs, method };
  }
  const from = main.docker;
  const to = (await engine(rowContext(ctx, env.host))).docker;
  const copyMs = await copyImage(from, to, env.image, ctx);
  const method = `cached Engine API build of the requests image on the ${main.name} engine (pip ran in the container row's uncached build), then the image saved from it and loaded into Podman's storage (${(copyMs / 1000).toFixed(1)} s of the step)`;
  return { step: 'image (cached build + load into Podman)', ok: true, durationMs: built.durationMs + copyMs, method };
}

const CONNECTION_LOST = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ENOENT']);

/** A lost connection to the Engine in the middle of a run, in words that name the cause and the fix. */
export function explainEngineError(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException;
  if (!e || !CONNECTION_LOST.has(String(e.code)) || !['write', 'read', 'connect'].includes(String(e.syscall))) return undefined;
  return `the Docker daemon stopped answering (${e.syscall} ${e.code}); check it is still running (docker info) and run isobench cleanup for what it left`;
}

/** Removes every container of env this run created (labels isobench.owner + isobench.env); images stay as cache. */
async function removeContainers(env: DockerEnv, ctx: DriverContext): Promise<void> {
  const { docker } = await engine(rowContext(ctx, env.host));
  const found = await docker.listContainers({ all: true, filters: { label: [`${LABEL_OWNER}=${ctx.runId}`, `${LABEL_ENV}=${env.name}`] } });
  await Promise.all(found.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(gone)));
}
