// runEnvironment with a fake driver: one start fewer (the probes reuse the last sample), density after probes, all stopped.
import { describe, expect, it } from 'vitest';
import { runEnvironment } from '../../src/run/env-run.js';
import { testContext } from '../helpers/context.js';
import type { Driver, Env, ExecResult, Instance } from '../../src/drivers/types.js';
import type { HostInfo } from '../../src/results/schema.js';
import { SUITE_PLAN } from '../../src/drivers/plans.js';

const WORKLOAD = JSON.stringify({ requests: '2.31.0', python: '3.11.2', importMs: 50, maxrssKb: 20000 });

function fakeDriver() {
  const log: string[] = [];
  const running = new Set<string>();
  let n = 0;
  const exec = async (_i: Instance, argv: string[]): Promise<ExecResult> => ({
    exitCode: argv[0] === 'python' ? 0 : 1,
    stdout: argv[0] !== 'python' ? '' : argv.join(' ').includes('isobench-ready') ? 'isobench-ready\n' : `2.31.0\n${WORKLOAD}\n`,
    stderr: '',
    durationMs: 1,
    timedOut: false,
  });
  const driver = {
    kind: 'docker',
    preflight: async () => ({ ok: true }),
    specs: () => [{ name: 'fake', label: 'fake' }],
    create: async (spec: { name: string; label: string }): Promise<Env> => ({ kind: 'docker', ...spec }),
    install: async () => ({ step: 'install', ok: true, durationMs: 1 }),
    measure: async () => [],
    start: async (env: Env, _ctx: unknown, opts?: { publish?: unknown[] }) => {
      const id = `i${++n}`;
      running.add(id);
      log.push(`start ${id}${opts?.publish ? ' publish' : ''}`);
      return { env, id, phases: {} };
    },
    stop: async (inst: Instance) => {
      running.delete(inst.id);
      log.push(`stop ${inst.id}`);
    },
    exec,
    spawn: async () => ({ waitFor: async () => 'isobench-rss 1024', stop: async () => undefined }),
    memory: async () => [{ id: 'memory.container.bytes', unit: 'bytes', value: 1e6, method: 'fake' }],
    destroy: async () => undefined,
  } as unknown as Driver;
  return { driver, log, running };
}

describe('runEnvironment', () => {
  it('starts warmups + samples instances, reuses the last one as the probes\' second, then runs density', async () => {
    const ctx = await testContext({ samples: 2, warmups: 1, instances: [2] });
    const fake = fakeDriver();
    const result = await runEnvironment(fake.driver, { name: 'fake', label: 'fake' }, ctx, {} as HostInfo);
    expect(result.reason).toBeUndefined();
    expect(result.steps.map((s) => s.step)).toEqual(['create', 'install', 'measure', 'start', 'probes', 'density']);
    expect(fake.log.slice(0, 6)).toEqual(['start i1', 'stop i1', 'start i2', 'stop i2', 'start i3', 'start i4 publish']);
    const probesEnd = fake.log.indexOf('stop i3');
    expect(fake.log.slice(0, probesEnd).filter((l) => l.startsWith('start i3'))).toHaveLength(1);
    expect(fake.log.slice(probesEnd + 1).filter((l) => l.startsWith('start'))).toEqual(['start i6', 'start i7']);
    expect(fake.running.size).toBe(0);
    expect(result.metrics['ready.python.ms']!.samples).toHaveLength(2);
    expect(result.metrics['instance.up.ms']!.samples).toHaveLength(2);
    expect(result.metrics['memory.container.bytes']!.value).toBe(1e6);
    expect(result.metrics['density.k2.ready.ms']!.samples).toHaveLength(2);
    expect(result.plan).toEqual({ id: 'repeated', reason: 'fast-start', starts: 2, warmups: 1, imports: 2, probes: true });
    await ctx.cleanup.runAll();
  });

  it('runs a plan of no timed start and no probes: one start for sizes and memory, no ready number, no second instance', async () => {
    const ctx = await testContext({ samples: 5, warmups: 2 });
    const fake = fakeDriver();
    const create = fake.driver.create;
    fake.driver.create = async (spec, c) => ({ ...(await create(spec, c)), plan: { id: 'untimed', reason: 'sizes-only', start: { samples: 0, warmups: 0 }, imports: { samples: 0, warmups: 0 }, probes: false } });
    const result = await runEnvironment(fake.driver, { name: 'fake', label: 'fake' }, ctx, {} as HostInfo);
    expect(result.status).toBe('completed');
    expect(fake.log).toEqual(['start i1', 'stop i1']);
    expect(result.steps.map((s) => s.step)).toEqual(['create', 'install', 'measure', 'start']);
    expect(result.metrics['ready.python.ms']).toBeUndefined();
    expect(result.metrics['memory.container.bytes']!.value).toBe(1e6);
    expect(result.probes).toEqual([]);
    expect(result.plan).toEqual({ id: 'untimed', reason: 'sizes-only', starts: 0, warmups: 0, imports: 0, probes: false });
    await ctx.cleanup.runAll();
  });

  it('runs no density step on a plan that says density: false, though the config asks for instances', async () => {
    const ctx = await testContext({ samples: 1, warmups: 0, instances: [2] });
    const fake = fakeDriver();
    const create = fake.driver.create;
    fake.driver.create = async (spec, c) => ({ ...(await create(spec, c)), plan: { id: 'untimed', reason: 'sizes-only', start: { samples: 0, warmups: 0 }, imports: { samples: 0, warmups: 0 }, probes: false, density: false } });
    const result = await runEnvironment(fake.driver, { name: 'fake', label: 'fake' }, ctx, {} as HostInfo);
    expect(result.status).toBe('completed');
    expect(fake.log).toEqual(['start i1', 'stop i1']);
    expect(result.steps.map((s) => s.step)).toEqual(['create', 'install', 'measure', 'start']);
    expect(Object.keys(result.metrics).filter((k) => k.startsWith('density.'))).toEqual([]);
    await ctx.cleanup.runAll();
  });

  it('stops the kept instance when the import fails on the only sample', async () => {
    const ctx = await testContext({ samples: 1, warmups: 0 });
    const fake = fakeDriver();
    const answer = fake.driver.exec;
    fake.driver.exec = async (i, argv) =>
      argv.join(' ').includes('import requests') ? { exitCode: 1, stdout: '', stderr: 'ModuleNotFoundError', durationMs: 1, timedOut: false } : answer(i, argv);
    const result = await runEnvironment(fake.driver, { name: 'fake', label: 'fake' }, ctx, {} as HostInfo);
    expect(result.status).toBe('errored');
    expect(result.reason).toMatch(/^start failed: python -c "import requests" exited with 1/);
    expect(fake.running.size).toBe(0);
    await ctx.cleanup.runAll();
  });

  it('errors the start when the environment\'s Python does not answer, and stops that instance', async () => {
    const ctx = await testContext({ samples: 1, warmups: 0 });
    const fake = fakeDriver();
    fake.driver.exec = async () => ({ exitCode: 127, stdout: '', stderr: 'python3: not found', durationMs: 1, timedOut: false });
    const result = await runEnvironment(fake.driver, { name: 'fake', label: 'fake' }, ctx, {} as HostInfo);
    expect(result.reason).toMatch(/^start failed: python did not answer after start \(exit 127\): python3: not found/);
    expect(fake.running.size).toBe(0);
    await ctx.cleanup.runAll();
  });

  it('takes the env\'s own start samples and method words (a VM\'s boots, Vagrant\'s create) over the config\'s', async () => {
    const ctx = await testContext({ samples: 5, warmups: 2 });
    const fake = fakeDriver();
    const create = fake.driver.create;
    fake.driver.create = async (spec, c) => ({
      ...(await create(spec, c)),
      plan: { id: 'repeated', reason: 'kvm', start: { samples: 2, warmups: 0 } },
      methods: { create: 'made from a box', ready: 'booted again', up: 'vagrant up returned' },
    });
    const result = await runEnvironment(fake.driver, { name: 'fake', label: 'fake' }, ctx, {} as HostInfo);
    expect(result.metrics['ready.python.ms']!.samples).toHaveLength(2);
    expect(fake.log.slice(0, 4)).toEqual(['start i1', 'stop i1', 'start i2', 'start i3 publish']);
    expect(result.metrics['create.ms']!.method).toBe('made from a box');
    expect(result.metrics['ready.python.ms']!.method).toBe('booted again');
    expect(result.metrics['instance.up.ms']!.method).toBe('vagrant up returned');
    await ctx.cleanup.runAll();
  });

  it('runs a suite row\'s plan: one start, the first import only, then the probes\' second instance; an untimed install records no number', async () => {
    const ctx = await testContext({ samples: 5, warmups: 2 });
    const fake = fakeDriver();
    const create = fake.driver.create;
    let imports = 0;
    const answer = fake.driver.exec;
    fake.driver.exec = async (i, argv, o) => {
      if (argv.join(' ').includes('import requests')) imports++;
      return answer(i, argv, o);
    };
    fake.driver.create = async (spec, c) => ({ ...(await create(spec, c)), plan: SUITE_PLAN });
    fake.driver.install = async () => ({ step: 'install', ok: true, durationMs: 0, untimed: true, method: 'python3-requests in the image' });
    const result = await runEnvironment(fake.driver, { name: 'fake', label: 'fake' }, ctx, {} as HostInfo);
    expect(result.status).toBe('completed');
    expect(fake.log.slice(0, 2)).toEqual(['start i1', 'start i2 publish']);
    expect(imports).toBe(1);
    expect(result.metrics['ready.python.ms']!.samples).toHaveLength(1);
    expect(result.metrics['import.first.ms']).toBeDefined();
    expect(result.metrics['import.warm.ms']).toBeUndefined();
    expect(result.facts['python.version']).toBe('3.11.2');
    expect(result.metrics['install.ms']).toBeUndefined();
    expect(result.steps.find((x) => x.step === 'install')).toEqual({ step: 'install', ok: true, durationMs: 0, method: 'python3-requests in the image' });
    await ctx.cleanup.runAll();
  });
});
