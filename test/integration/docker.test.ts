// The Docker driver against the real daemon: preflight, offline images, containers, probes' needs, metrics, cleanup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { LABEL_RUN, LABEL_VERSION } from '../../src/lifecycle/labels.js';
import { median } from '../../src/measure/stats.js';
import { testContext } from '../helpers/context.js';
import { buildOfflineBase, dockerDriver, type DockerEnv, type DockerInstance } from '../../src/drivers/docker/index.js';
import { engine } from '../../src/drivers/docker/engine.js';
import type { Metric } from '../../src/drivers/types.js';

const MB = 1024 * 1024;
let ctx: Awaited<ReturnType<typeof testContext>>;
let env: DockerEnv;
let inst: DockerInstance;

async function containersOfRun() {
  const { docker } = await engine(ctx);
  return docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${ctx.runId}`] } });
}

beforeAll(async () => {
  ctx = await testContext({ samples: 3, warmups: 1 });
});

afterAll(async () => {
  await ctx.cleanup.runAll();
});

describe('docker driver (real daemon)', { timeout: 900_000 }, () => {
  it('preflight reaches the Engine and reports its facts', async () => {
    const pf = await dockerDriver.preflight(ctx);
    expect(pf.reason).toBeUndefined();
    expect(pf.ok).toBe(true);
    expect(pf.facts?.['docker.version']).toMatch(/^\d+\.\d+/);
    expect(pf.facts?.['docker.storageDriver']).toBeTruthy();
    expect(pf.facts?.['docker.cgroupVersion']).toMatch(/^[12]$/);
    expect(pf.facts?.['docker.host']).toMatch(/^unix:\/\/|^tcp:\/\//);
  });

  it('preflight says why and how to fix when the host does not answer', async () => {
    const config = configSchema.parse({ environments: { docker: { host: 'unix:///nonexistent/docker.sock' } } });
    const pf = await dockerDriver.preflight({ ...ctx, config });
    expect(pf.ok).toBe(false);
    expect(pf.reason).toContain('unix:///nonexistent/docker.sock');
    expect(pf.fix).toMatch(/docker-host/);
  });

  it('builds (or reuses) the offline base, labelled and with python3', async () => {
    const base = await buildOfflineBase(ctx);
    const { docker } = await engine(ctx);
    const info = await docker.getImage(base.image).inspect();
    expect(info.Config.Labels?.[LABEL_VERSION]).toBeTruthy();
    expect(info.Size).toBeGreaterThan(30 * MB);
  });

  it('creates the environment and installs requests by an image build', async () => {
    env = await dockerDriver.create({ name: 'docker-requests', label: 'docker' }, ctx);
    expect(['registry', 'offline']).toContain(env.path);
    expect(env.facts['docker.imagePath']).toBe(env.path);
    expect(env.facts['docker.python']).toMatch(/^3\.\d+$/);
    if (env.path === 'offline') expect(ctx.notes.join('\n')).toMatch(/offline base/);
    const step = await dockerDriver.install(env, ['requests'], ctx);
    expect(step.error).toBeUndefined();
    expect(step.ok).toBe(true);
    expect(step.durationMs).toBeGreaterThan(0);
    expect(step.method).toMatch(/uncached docker build .* RUN pip install requests .*in this run/);
  });

  it('starts a labelled container and runs commands in it', async () => {
    inst = await dockerDriver.start(env, ctx);
    expect(inst.phases.started).toBeGreaterThanOrEqual(inst.phases.create!);
    const { docker } = await engine(ctx);
    const info = await docker.getContainer(inst.id).inspect();
    expect(info.State.Running).toBe(true);
    expect(info.Config.Labels[LABEL_RUN]).toBe(ctx.runId);
    expect(info.HostConfig.Privileged).toBe(false);

    const v = await dockerDriver.exec(inst, ['python', '-c', 'import requests; print(requests.__version__)']);
    expect(v.exitCode).toBe(0);
    expect(v.stdout.trim()).toMatch(/^2\.\d+\.\d+$/);

    const mixed = await dockerDriver.exec(inst, ['sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(mixed).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n', timedOut: false });

    const withInput = await dockerDriver.exec(inst, ['python', '-c', 'import os, sys; print(os.environ["X"], sys.stdin.read())'], {
      env: { X: 'hello' },
      input: 'from stdin',
    });
    expect(withInput.stdout.trim()).toBe('hello from stdin');

    const slow = await dockerDriver.exec(inst, ['sleep', '30'], { timeoutMs: 1_000 });
    expect(slow.timedOut).toBe(true);
    expect(slow.durationMs).toBeLessThan(10_000);
  });

  it('runs a background server, waits for its output and stops it', async () => {
    const bg = await dockerDriver.spawn(inst, ['python', '-u', '-m', 'http.server', '8000']);
    await expect(bg.waitFor(/Serving HTTP/, 15_000)).resolves.toMatch(/Serving HTTP/);
    const get = await dockerDriver.exec(inst, ['python', '-c', 'import urllib.request as u; print(u.urlopen("http://127.0.0.1:8000/").status)'], { timeoutMs: 10_000 });
    expect(get.stdout.trim()).toBe('200');
    await bg.stop();
    await bg.stop();
    const after = await dockerDriver.exec(inst, ['python', '-c', 'import socket; s = socket.socket(); print(s.connect_ex(("127.0.0.1", 8000)))']);
    expect(after.stdout.trim()).not.toBe('0');
    const never = await dockerDriver.spawn(inst, ['sh', '-c', 'echo nope; exit 1']);
    await expect(never.waitFor(/ready/, 10_000)).rejects.toThrow(/exited before/);
  });

  it('publishes on 127.0.0.1 and rejects a second container on the same host port', async () => {
    const port = ctx.config.probePort;
    const first = await dockerDriver.start(env, ctx, { publish: [{ inside: 8000, host: port }] });
    const { docker } = await engine(ctx);
    const info = await docker.getContainer(first.id).inspect();
    expect(info.HostConfig.PortBindings?.['8000/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(port) }]);
    const before = (await containersOfRun()).length;
    await expect(dockerDriver.start(env, ctx, { publish: [{ inside: 8000, host: port }] })).rejects.toThrow(
      new RegExp(`already allocated|${port}`),
    );
    expect((await containersOfRun()).length).toBe(before);
    await dockerDriver.stop(first);
    await dockerDriver.stop(first);
    expect((await containersOfRun()).length).toBe(before - 1);
  });

  it('reports the memory of the container and of its python', async () => {
    const mem = await dockerDriver.memory(inst, ctx);
    const byId = Object.fromEntries(mem.map((m) => [m.id, m]));
    expect(byId['memory.container.bytes']!.value).toBeGreaterThan(1 * MB);
    expect(byId['memory.container.bytes']!.value).toBeLessThan(500 * MB);
    expect(byId['memory.python.bytes']!.value).toBeGreaterThan(2 * MB);
    expect(byId['memory.python.bytes']!.value).toBeLessThan(200 * MB);
  });

  it('measures image, builds, layer sharing and docker run', async () => {
    const metrics = await dockerDriver.measure(env, ctx);
    const m = (id: string): Metric & { value: number } => {
      const found = metrics.find((x) => x.id === id);
      if (!found) throw new Error(`metric ${id} missing`);
      return { ...found, value: found.value ?? median(found.samples ?? []) };
    };
    console.log(JSON.stringify(metrics.map((x) => ({ id: x.id, value: Math.round(m(x.id).value), samples: x.samples?.map(Math.round) }))));
    expect(m('image.bytes').value).toBeGreaterThan(50 * MB);
    expect(m('image.bytes').value).toBeLessThan(2048 * MB);
    expect(m('image.layers.count').value).toBeGreaterThanOrEqual(2);
    for (const id of ['build.cold.ms', 'build.cached.ms', 'run.cli.ms', 'run.api.create.ms', 'run.api.start.ms', 'run.api.firstOutput.ms', 'run.api.exit.ms', 'run.api.remove.ms']) {
      expect(m(id).samples).toHaveLength(id === 'build.cold.ms' ? Math.min(ctx.config.samples, 6) : ctx.config.samples);
      for (const s of m(id).samples!) expect(s).toBeGreaterThan(0);
      expect(m(id).method).toBeTruthy();
    }
    expect(m('build.cold.ms').value).toBeGreaterThan(m('build.cached.ms').value);
    expect(m('run.cli.ms').method).toContain('docker run');
    expect(m('run.api.exit.ms').value).toBeGreaterThanOrEqual(m('run.api.firstOutput.ms').value);
    const shared = m('layers.shared.bytes').value;
    expect(shared).toBeGreaterThan(50 * MB);
    expect(m('layers.sum.bytes').value).toBe(m('layers.a.bytes').value + m('layers.b.bytes').value);
    expect(m('layers.diskUsed.bytes').value).toBeLessThan(m('layers.sum.bytes').value);
    expect(m('layers.diskUsed.bytes').value).toBeGreaterThanOrEqual(Math.max(m('layers.a.bytes').value, m('layers.b.bytes').value));
    expect(m('layers.diskUsed.bytes').value - shared).toBeLessThan(1 * MB);
  });

  it('observes what the document says of images: read-only, many containers of one, only changed layers rebuilt, stored once', () => {
    // Set by measure() above, from real containers and builds; each is "yes: evidence" or "no: evidence".
    expect(env.facts['docker.image.manyContainers']).toMatch(/^yes: 3 containers ran at once from image [0-9a-f]{12}$/);
    expect(env.facts['docker.image.readOnly']).toMatch(/^yes: 3 containers wrote files; image ID ([0-9a-f]{12}) → \1 \(unchanged\), and a new container did not see their writes$/);
    // The pair's dependency step (RUN pip install, before the changed COPY) comes from the build cache, as in the document.
    expect(env.facts['docker.build.onlyChangedRebuilt']).toMatch(/^yes: after changing app_a\.py, rebuilding \S+ made 1 new layer\(s\) and reused (\d+) of \d+ by digest; steps from cache: [1-9]\d* of \d+ \(.*RUN.*\)$/);
    const stored = /^yes: .* both hold all (\d+) layers of \S+ by the same digests \(\1 shared\).*the two share (\d+) layers$/.exec(env.facts['docker.layers.storedOnce']!);
    expect(stored).not.toBeNull();
    expect(Number(stored![2])).toBe(Number(stored![1]) + 1);
  });

  it('destroys the environment and leaves no container of the run', async () => {
    expect((await containersOfRun()).length).toBeGreaterThan(0);
    await dockerDriver.destroy(env, ctx);
    await dockerDriver.destroy(env, ctx);
    expect(await containersOfRun()).toEqual([]);
    const pending = ctx.cleanup.pending().filter((w) => !w.startsWith('work dir'));
    expect(pending.some((w) => w.startsWith('containers of docker-requests'))).toBe(true);
    expect(await ctx.cleanup.runAll()).toEqual([]);
    expect(await containersOfRun()).toEqual([]);
    const { docker } = await engine(ctx);
    const cold = await docker.listImages({ filters: { reference: [`isobench/requests:cold-${ctx.runId}`] } });
    expect(cold).toEqual([]);
  });
});
