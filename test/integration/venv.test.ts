// The venv driver for real: python3 -m venv, pip install requests, timings, and every probe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { venvDriver } from '../../src/drivers/venv/driver.js';
import { runEnvironment } from '../../src/run/env-run.js';
import { hostFingerprint } from '../../src/measure/host.js';
import { testContext } from '../helpers/context.js';
import type { EnvResult } from '../../src/results/schema.js';

describe('venv driver (real venv)', () => {
  let ctx: Awaited<ReturnType<typeof testContext>>;
  let result: EnvResult;

  beforeAll(async () => {
    ctx = await testContext({ samples: 3, warmups: 1 });
    const pre = await venvDriver.preflight(ctx);
    expect(pre, `preflight: ${pre.reason}; ${pre.fix}`).toMatchObject({ ok: true });
    const [spec] = venvDriver.specs(ctx.config);
    result = await runEnvironment(venvDriver, spec!, ctx, await hostFingerprint());
  }, 600_000);

  afterAll(async () => {
    expect(await ctx.cleanup.runAll()).toEqual([]);
  });

  it('completes and installs requests', () => {
    expect(result.reason).toBeUndefined();
    expect(result.status).toBe('completed');
    expect(result.facts['requests.version']).toMatch(/^\d+\.\d+/);
    expect(result.steps.map((s) => s.step)).toEqual(['create', 'install', 'measure', 'start', 'probes']);
  });

  it('measures size, activation and import with samples and statistics', () => {
    const m = result.metrics;
    expect(m['disk.allocated.bytes']!.value).toBeGreaterThan(5e6);
    expect(m['disk.allocated.bytes']!.value).toBeLessThan(500e6);
    expect(m['disk.files.count']!.value).toBeGreaterThan(100);
    expect(m['activate.ms']!.samples).toHaveLength(3);
    expect(m['activate.ms']!.stats!.median).toBeGreaterThan(0);
    expect(m['bash.baseline.ms']!.stats!.n).toBe(3);
    expect(m['import.warm.ms']!.samples).toHaveLength(3);
    expect(m['import.first.ms']!.value).toBeGreaterThan(m['import.inner.ms']!.stats!.min);
    expect(m['python.maxrss.bytes']!.value).toBeGreaterThan(5e6);
    expect(m['create.ms']!.value).toBeGreaterThan(0);
    expect(m['install.ms']!.value).toBeGreaterThan(0);
    expect(m['install.ms']!.method).toMatch(/in this run/);
  });

  it('times ready the way every kind does: from nothing running until a Python in the venv answers', () => {
    const ready = result.metrics['ready.python.ms']!;
    expect(ready.samples).toHaveLength(3);
    // A Python process start, not the building of an object inside isobench.
    expect(ready.stats!.min).toBeGreaterThan(1);
    expect(ready.method).toMatch(/until a Python process in the environment answers/);
    expect(result.metrics['instance.up.ms']).toBeUndefined();
    expect(Object.keys(result.metrics).filter((id) => id.startsWith('start.phase.'))).toEqual([]);
  });

  it('finds the venv shares everything the document says it shares', () => {
    const byId = Object.fromEntries(result.probes.map((p) => [p.id, p]));
    for (const id of ['port-clash', 'tmp-visibility', 'kernel', 'process-visibility', 'python-version', 'os-release', 'system-packages']) {
      expect(byId[id], `${id}: ${byId[id]?.summary}`).toMatchObject({ isolated: false });
    }
    expect(byId['port-clash']!.evidence.secondServer).toMatch(/Address already in use|Errno 98/);
    expect(byId['tmp-visibility']!.evidence).toMatchObject({ seenByOther: true, seenByHost: true });
    expect(byId['package-visibility'], byId['package-visibility']?.summary).toMatchObject({ isolated: true });
  });

  it('removes the venv when the environment is destroyed', () => {
    expect(existsSync(`${ctx.workDir}/venv/${result.name}`)).toBe(false);
  });
});

describe('venv driver preflight', () => {
  it('says why and how to fix when the interpreter does not exist', async () => {
    const ctx = await testContext({ environments: { venv: { enabled: true, interpreters: ['python3.999-missing'] } } as never });
    const pre = await venvDriver.preflight(ctx);
    expect(pre.ok).toBe(false);
    expect(pre.reason).toContain('python3.999-missing not found');
    expect(pre.fix).toMatch(/install Python 3/);
    await ctx.cleanup.runAll();
  });
});
