// The document's `FROM python:3.9-slim` + `RUN pip install requests` path, for real and offline: a local registry
// (docker-registry on 127.0.0.1) holding an image under the document's name, a local package index serving the
// wheelhouse, and the pull path's failure modes against that registry.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { configSchema } from '../../src/config/schema.js';
import { UserError } from '../../src/config/errors.js';
import { dockerDriver, buildOfflineBase, type DockerEnv } from '../../src/drivers/docker/index.js';
import { engine } from '../../src/drivers/docker/engine.js';
import { inspectImage } from '../../src/drivers/docker/build.js';
import { buildRequestsImage, imagePython, resolveBase } from '../../src/drivers/docker/images.js';
import { ensureWheelhouse } from '../../src/drivers/wheelhouse.js';
import { registryRow } from '../../src/commands/doctor-registry.js';
import { testContext } from '../helpers/context.js';
import { startRegistry, type LocalRegistry } from '../helpers/local-registry.js';
import { serveWheelhouse, type SimpleIndex } from '../helpers/simple-index.js';
import { throttleProxy } from '../helpers/throttle-proxy.js';
import { publishNoPython, publishPythonStandIn, removeRunImages } from '../helpers/registry-images.js';
import type Docker from 'dockerode';

const ROOT = join(import.meta.dirname, '..', '..');
let ctx: Awaited<ReturnType<typeof testContext>>;
let docker: Docker;
let dir: string;
let registry: LocalRegistry;
let index: SimpleIndex;
let wheelhouse: string;

/** The test context with another config and its own notes. */
function withConfig(raw: Record<string, unknown>) {
  const notes: string[] = [];
  return { ...ctx, config: configSchema.parse(raw), note: (t: string) => notes.push(t), notes };
}
const dockerCfg = (d: Record<string, unknown>, more: Record<string, unknown> = {}) => withConfig({ ...more, environments: { docker: d } });
const standIn = () => `${registry.host}/library/python:3.9-slim`;
const noPython = () => `${registry.host}/nopython/library/python:3.9-slim`;

beforeAll(async () => {
  ctx = await testContext({ samples: 1, warmups: 0 });
  docker = (await engine(ctx)).docker;
  ctx.cleanup.push('images of the registry test', () => removeRunImages(docker, ctx.runId));
  dir = await mkdtemp(join(tmpdir(), 'isobench-registry-'));
  ctx.cleanup.push(`temp dir ${dir}`, () => rm(dir, { recursive: true, force: true }));
  const offline = (await buildOfflineBase(ctx)).image;
  registry = await startRegistry(dir);
  ctx.cleanup.push('local registry', () => registry.stop());
  wheelhouse = await ensureWheelhouse(['requests'], { pythonVersion: await imagePython(docker, offline, ctx) }, ctx);
  index = await serveWheelhouse(wheelhouse);
  ctx.cleanup.push('local package index', () => index.close());
  await publishPythonStandIn(docker, offline, standIn(), ctx.runId);
  await publishNoPython(docker, noPython(), ctx.runId);
}, 600_000);

afterAll(async () => {
  await ctx.cleanup.runAll();
}, 120_000);

describe('the document\'s Dockerfile path against a local registry and index', { timeout: 600_000 }, () => {
  it('a registry that stops in the middle of the pull: one line naming image, registry and fix; nothing pulled', async () => {
    // A second registry process on the same storage, behind a slow relay: killed at the first download progress event.
    const doomed = await startRegistry(dir);
    const relay = await throttleProxy(doomed.host, 2_000_000);
    try {
      const c = dockerCfg({ registry: relay.host, pull: 'always' });
      let killed = false;
      const debug = (m: string) => {
        if (!killed && / Downloading$/.test(m)) {
          killed = true;
          doomed.kill();
          void relay.close();
        }
      };
      const err = await resolveBase({ ...c, log: { ...ctx.log, debug } }).catch((e: unknown) => e);
      expect(killed).toBe(true);
      expect(err).toBeInstanceOf(UserError);
      const message = (err as Error).message;
      expect(message).not.toContain('\n');
      expect(message).toContain(`cannot pull ${relay.host}/library/python:3.9-slim`);
      expect(message).toMatch(new RegExp(`the registry ${relay.host} stopped answering in the middle of the pull`));
      expect(message).toMatch(/run again, or set environments\.docker\.pull to auto or never/);
      expect(await inspectImage(docker, `${relay.host}/library/python:3.9-slim`)).toBeUndefined();
    } finally {
      await relay.close();
      await doomed.stop();
    }
  });

  it('pull: auto with the registry reachable: pulls the document\'s image and builds the document\'s Dockerfile from the local index', async () => {
    const c = dockerCfg({ registry: registry.host, pull: 'auto' }, { pip: { indexUrl: index.url } });
    expect(await inspectImage(docker, standIn())).toBeUndefined();
    const env: DockerEnv = await dockerDriver.create({ name: 'docker-requests', label: 'docker' }, c);
    // The environment holds the lock on isobench's Docker images until destroyed: the CLI test below needs it free.
    c.cleanup.push('docker-requests environment', () => dockerDriver.destroy(env, c));
    expect(env.path).toBe('registry');
    expect(env.base).toBe(standIn());
    expect(env.facts['docker.imagePath']).toBe('registry');
    expect(env.facts['docker.python']).toMatch(/^3\.\d+$/);
    const said = c.notes.join('\n');
    expect(said).toContain(`the document's base image ${standIn()} (pulled from ${registry.host} in`);
    expect(said).toMatch(/built with host networking/);

    const step = await dockerDriver.install(env, ['requests'], c);
    expect(step.error).toBeUndefined();
    expect(step.ok).toBe(true);
    // pip in the build read the local index: the project page and the wheel files themselves.
    expect(index.requests).toContain('/simple/requests/');
    expect(index.requests.some((p) => /^\/files\/requests-.*\.whl$/.test(p))).toBe(true);
    const history = await docker.getImage(env.image).history();
    expect(history.map((h: { CreatedBy: string }) => h.CreatedBy).join('\n')).toMatch(/PACKAGES=requests .*pip install \$\{PACKAGES\}/);

    const inst = await dockerDriver.start(env, c);
    try {
      const r = await dockerDriver.exec(inst, ['python', '-c', 'import requests; print(requests.__version__)']);
      expect(r.exitCode).toBe(0);
      const wheelVersion = /^requests-([^-]+)-/.exec(index.requests.find((p) => p.startsWith('/files/requests-'))!.slice(7))![1];
      expect(r.stdout.trim()).toBe(wheelVersion);
    } finally {
      await inst.remove();
      await dockerDriver.destroy(env, c);
    }
  });

  it('an unknown tag: pull: always gives one line naming image, registry and fix; pull: auto falls back to the offline base', async () => {
    const ref = `${registry.host}/library/python:3.9-nosuchtag`;
    const always = dockerCfg({ registry: registry.host, baseImage: 'python:3.9-nosuchtag', pull: 'always' });
    const err = await resolveBase(always).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      `docker: cannot pull ${ref}: the registry ${registry.host} has no image library/python:3.9-nosuchtag (manifest unknown); ` +
        'push it there or correct environments.docker.baseImage / registry, or set environments.docker.pull to auto or never to use the offline Debian base',
    );
    const auto = dockerCfg({ registry: registry.host, baseImage: 'python:3.9-nosuchtag', pull: 'auto' });
    const choice = await resolveBase(auto);
    expect(choice).toEqual({ path: 'offline', base: auto.config.environments.docker.offlineBase });
    expect(auto.notes.join('\n')).toMatch(/has no image library\/python:3\.9-nosuchtag .*pull=auto, so used the offline base/);
  });

  it('an image without Python: the error says the base has no Python (pull: always, and the build); pull: auto falls back', async () => {
    const nopy = `${registry.host}/nopython`;
    const always = dockerCfg({ registry: nopy, pull: 'always' });
    const err = await resolveBase(always).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(
      new RegExp(`^docker: the base image ${noPython().replace(/\./g, '\\.')} from ${registry.host} has no Python \\(python3 is not in the image\\), so the document's .RUN pip install. cannot run on it; push a Python image`),
    );
    // The document's Dockerfile built on it anyway: its `RUN pip install` fails, and the error says why.
    const built = await buildRequestsImage(always, { path: 'registry', base: noPython() }, { tag: `isobench/requests:nopython-${ctx.runId}` }).catch((e: unknown) => e);
    expect((built as Error).message).toMatch(/^docker build failed: the base image .* has no Python/);

    const auto = dockerCfg({ registry: nopy, pull: 'auto' });
    expect((await resolveBase(auto)).path).toBe('offline');
    expect(auto.notes.join('\n')).toMatch(/has no Python .*pull=auto, so used the offline base/);
  });

  it('doctor names the local registry, and what it lacks', async () => {
    await removeRunImages(docker, ctx.runId);
    const ok = await registryRow(dockerCfg({ registry: registry.host }));
    expect(ok.ok).toBe(true);
    expect(ok.what).toBe(`registry for python:3.9-slim (via ${registry.host})`);
    expect(ok.detail).toBe(`the local registry ${registry.host} (on this machine's loopback, where dockerd allows plain HTTP) has ${standIn()}: the document's Dockerfile is used`);
    const missing = await registryRow(dockerCfg({ registry: registry.host, baseImage: 'python:3.9-nosuchtag', pull: 'always' }));
    expect(missing).toMatchObject({ ok: false, needed: true });
    expect(missing.detail).toMatch(/has no image library\/python:3\.9-nosuchtag .*fix: push it there/);
  });

  it('the CLI: `images build docker` with pull: always and an unknown tag exits 2 with that one line', async () => {
    const file = join(dir, 'unknown-tag.yaml');
    await writeFile(file, `environments:\n  docker:\n    registry: "${registry.host}"\n    baseImage: python:3.9-nosuchtag\n    pull: always\n`);
    const r = await execa('node', [join(ROOT, 'bin', 'isobench.js'), 'images', 'build', 'docker', '--config', file], { reject: false, timeout: 120_000 });
    expect(r.exitCode, r.stderr).toBe(2);
    const last = r.stderr.trim().split('\n').pop()!;
    expect(last).toMatch(new RegExp(`^isobench: docker: cannot pull ${registry.host}/library/python:3\\.9-nosuchtag: the registry ${registry.host} has no image`));
  });
});
