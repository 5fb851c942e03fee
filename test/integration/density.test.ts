// The density step on the real venv and Docker drivers, k = 1 and 2: numbers per instance, nothing left running.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { densitySteps } from '../../src/run/density.js';
import { venvDriver } from '../../src/drivers/venv/driver.js';
import { dockerDriver } from '../../src/drivers/docker/index.js';
import { engine } from '../../src/drivers/docker/engine.js';
import { ensureWheelhouse } from '../../src/drivers/wheelhouse.js';
import { LABEL_RUN } from '../../src/lifecycle/labels.js';
import { testContext } from '../helpers/context.js';
import type { DensityResult } from '../../src/run/density.js';

const MB = 1024 * 1024;
let ctx: Awaited<ReturnType<typeof testContext>>;

beforeAll(async () => {
  ctx = await testContext({ instances: [1, 2] });
});

afterAll(async () => {
  expect(await ctx.cleanup.runAll()).toEqual([]);
});

const byId = (r: DensityResult) => Object.fromEntries(r.metrics.map((m) => [m.id, m]));

describe('density on real drivers', { timeout: 300_000 }, () => {
  it('venv: one Python per instance, each with requests imported, all released', async () => {
    const python = (await execa('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'])).stdout.trim();
    const wheelhouse = await ensureWheelhouse(['requests'], { pythonVersion: python }, ctx);
    const vctx = { ...ctx, config: { ...ctx.config, pip: { ...ctx.config.pip, wheelhouse } } };
    const [spec] = venvDriver.specs(vctx.config);
    const env = await venvDriver.create(spec!, vctx);
    expect((await venvDriver.install(env, ['requests'], vctx)).ok).toBe(true);
    const r = await densitySteps(venvDriver, env, vctx);
    expect(r.errors).toEqual([]);
    const m = byId(r);
    expect(m['density.k2.ready.ms']!.samples).toHaveLength(2);
    expect(m['density.k2.pythonReady.ms']!.samples).toHaveLength(2);
    for (const rss of m['density.k2.memory.bytes']!.samples!) expect(rss).toBeGreaterThan(10 * MB);
    expect(m['density.k1.memory.bytes']!.method).toMatch(/no process of its own/);
    const left = await execa('pgrep', ['-f', `${env.dir}/bin/python -c import requests, time`], { reject: false });
    expect(left.stdout).toBe('');
  });

  it('docker: k containers at once, the RSS of the processes in each, all removed', async () => {
    const pre = await dockerDriver.preflight(ctx);
    expect(pre.reason).toBeUndefined();
    const env = await dockerDriver.create({ name: 'docker-requests', label: 'docker' }, ctx);
    expect((await dockerDriver.install(env, ['requests'], ctx)).ok).toBe(true);
    const r = await densitySteps(dockerDriver, env, ctx);
    expect(r.errors).toEqual([]);
    const m = byId(r);
    expect(m['density.k2.ready.ms']!.samples).toHaveLength(2);
    for (const ms of m['density.k2.ready.ms']!.samples!) expect(ms).toBeGreaterThan(10);
    for (const bytes of m['density.k2.memory.bytes']!.samples!) expect(bytes).toBeGreaterThan(1 * MB);
    expect(m['density.k2.memory.bytes']!.method).toMatch(/VmRSS of the \d+ processes in the container/);
    expect(m['density.k1.hostMemory.bytes']!.value).toEqual(expect.any(Number));
    const { docker } = await engine(ctx);
    expect(await docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${ctx.runId}`] } })).toEqual([]);
  });
});
