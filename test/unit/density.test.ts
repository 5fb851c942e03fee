// The density step with a fake driver: concurrent starts, per-instance numbers, every instance stopped, failures as data.
import { describe, expect, it } from 'vitest';
import { densityOf, densitySteps, instanceMemory, parseHeldRss, usedBytes } from '../../src/run/density.js';
import { densityMetricId, parseDensityMetricId } from '../../src/claims/metrics.js';
import { metricName } from '../../src/report/env-tables.js';
import { en } from '../../src/report/i18n/en.js';
import { ko } from '../../src/report/i18n/ko.js';
import { testContext } from '../helpers/context.js';
import type { Background, Driver, Env, Instance, Metric } from '../../src/drivers/types.js';

const MEMINFO = 'MemTotal:       1000 kB\nMemFree:         100 kB\nMemAvailable:    400 kB\n';

interface Fake {
  driver: Driver;
  running: Set<string>;
  maxRunning: number;
  started: number;
  stopped: string[];
  held: number;
}

/** A driver whose start takes `startMs`, fails for the instance numbers in `failOn`, and has memory() of `memory`. */
function fakeDriver(opts: { startMs?: number; failOn?: number[]; memory?: Metric[] } = {}): Fake {
  const fake: Fake = { driver: undefined as never, running: new Set(), maxRunning: 0, started: 0, stopped: [], held: 0 };
  let inFlight = 0;
  let maxInFlight = 0;
  fake.driver = {
    kind: 'docker',
    start: async (env: Env) => {
      const n = ++fake.started;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      fake.maxRunning = maxInFlight;
      await new Promise((r) => setTimeout(r, opts.startMs ?? 5));
      inFlight--;
      if (opts.failOn?.includes(n)) throw new Error(`start ${n} failed`);
      fake.running.add(`i${n}`);
      return { env, id: `i${n}`, phases: {} };
    },
    stop: async (inst: Instance) => {
      fake.running.delete(inst.id);
      fake.stopped.push(inst.id);
    },
    memory: async () => opts.memory ?? [],
    spawn: async (): Promise<Background> => {
      fake.held++;
      return { waitFor: async () => 'isobench-rss 2048\n', stop: async () => void fake.held-- };
    },
  } as unknown as Driver;
  return fake;
}

const env: Env = { kind: 'docker', name: 'fake', label: 'fake' };
const MEM: Metric[] = [{ id: 'memory.container.bytes', unit: 'bytes', value: 5e6, method: 'cgroup' }];

describe('density pure parts', () => {
  it('reads used memory from /proc/meminfo', () => {
    expect(usedBytes(MEMINFO)).toBe(600 * 1024);
    expect(() => usedBytes('MemTotal: 1 kB\n')).toThrow(/no MemAvailable/);
  });
  it('parses the held Python\'s RSS line', () => {
    expect(parseHeldRss('noise\nisobench-rss 20480\n')).toBe(20480 * 1024);
    expect(() => parseHeldRss('Traceback')).toThrow(/no isobench-rss line/);
  });
  it('picks the first bytes metric of driver.memory()', () => {
    expect(instanceMemory([{ id: 'x.ms', unit: 'ms', value: 1, method: '' }, ...MEM])?.id).toBe('memory.container.bytes');
    expect(instanceMemory([])).toBeUndefined();
  });
  it('names density metrics and parses them back', () => {
    expect(densityMetricId(4, 'ready')).toBe('density.k4.ready.ms');
    expect(densityMetricId(8, 'memory')).toBe('density.k8.memory.bytes');
    expect(parseDensityMetricId('density.k16.hostMemory.bytes')).toEqual({ k: 16, part: 'host' });
    expect(parseDensityMetricId('density.k2.other.ms')).toBeUndefined();
    expect(parseDensityMetricId('start.ready.ms')).toBeUndefined();
  });
  it('has a name for them in both report languages', () => {
    expect(metricName('density.k4.ready.ms', en)).toBe('4 at once: start until ready, per instance');
    expect(metricName('density.k4.memory.bytes', ko)).toContain('4개 동시');
  });
});

describe('densityOf', () => {
  it('starts k instances at once, measures each, and stops them all', async () => {
    const ctx = await testContext();
    const fake = fakeDriver({ startMs: 20, memory: MEM });
    const metrics = await densityOf(fake.driver, env, 4, ctx);
    expect(fake.maxRunning).toBe(4);
    expect(fake.running.size).toBe(0);
    expect(fake.stopped).toHaveLength(4);
    const byId = Object.fromEntries(metrics.map((m) => [m.id, m]));
    expect(byId['density.k4.ready.ms']!.samples).toHaveLength(4);
    expect(Math.min(...byId['density.k4.ready.ms']!.samples!)).toBeGreaterThanOrEqual(15);
    expect(byId['density.k4.memory.bytes']!.samples).toEqual([5e6, 5e6, 5e6, 5e6]);
    expect(byId['density.k4.hostMemory.bytes']!.value).toEqual(expect.any(Number));
    expect(ctx.cleanup.pending()).toEqual([`work dir ${ctx.workDir}`, `manifest of ${ctx.runId}`]);
    await ctx.cleanup.runAll();
  });

  it('holds one Python per instance when the instance has no process (venv) and releases them', async () => {
    const ctx = await testContext();
    const fake = fakeDriver();
    const metrics = await densityOf(fake.driver, env, 2, ctx);
    const byId = Object.fromEntries(metrics.map((m) => [m.id, m]));
    expect(byId['density.k2.memory.bytes']!.samples).toEqual([2048 * 1024, 2048 * 1024]);
    expect(byId['density.k2.pythonReady.ms']!.samples).toHaveLength(2);
    expect(fake.held).toBe(0);
    await ctx.cleanup.runAll();
  });

  it('stops the instances that started when one fails, and says how many failed', async () => {
    const ctx = await testContext();
    const fake = fakeDriver({ failOn: [2], memory: MEM });
    await expect(densityOf(fake.driver, env, 3, ctx)).rejects.toThrow('1 of 3 instances did not start: start 2 failed');
    expect(fake.running.size).toBe(0);
    expect(fake.stopped.sort()).toEqual(['i1', 'i3']);
    await ctx.cleanup.runAll();
  });
});

describe('densitySteps', () => {
  it('runs every k of config.instances and keeps going after a failing one', async () => {
    const ctx = await testContext({ instances: [1, 2] });
    const fake = fakeDriver({ failOn: [1], memory: MEM });
    const r = await densitySteps(fake.driver, env, ctx);
    expect(r.errors).toEqual(['k=1: 1 of 1 instances did not start: start 1 failed']);
    expect(r.metrics.map((m) => m.id)).toEqual(['density.k2.ready.ms', 'density.k2.memory.bytes', 'density.k2.hostMemory.bytes']);
    await ctx.cleanup.runAll();
  });
});
