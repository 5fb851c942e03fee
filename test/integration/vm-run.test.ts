// A whole VM environment through the runner on a real QEMU guest: ready defined as for every kind, memory read
// while the same workload runs, the install time labelled with where it was measured, and no QEMU left behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vmDriver } from '../../src/drivers/vm/index.js';
import { findQemuProcesses } from '../../src/drivers/vm/orphans.js';
import { hostFingerprint } from '../../src/measure/host.js';
import { runEnvironment } from '../../src/run/env-run.js';
import type { Driver } from '../../src/drivers/types.js';
import type { EnvResult } from '../../src/results/schema.js';
import { testContext } from '../helpers/context.js';

describe('vm environment through the runner (real QEMU guest)', () => {
  let ctx: Awaited<ReturnType<typeof testContext>>;
  let result: EnvResult;

  beforeAll(async () => {
    ctx = await testContext({ samples: 2, warmups: 0 });
    ctx.config.environments.vm.bootSamples = 2;
    const pre = await vmDriver.preflight(ctx);
    expect(pre, `preflight: ${pre.reason}; ${pre.fix}`).toMatchObject({ ok: true });
    const specs = vmDriver.specs(ctx.config);
    const spec = specs.find((s) => s.name.includes('micro')) ?? specs[0]!;
    result = await runEnvironment(vmDriver as unknown as Driver, spec, ctx, await hostFingerprint());
  }, 1_800_000);

  afterAll(async () => {
    expect(await ctx.cleanup.runAll()).toEqual([]);
    expect(await findQemuProcesses(`isobench-${ctx.runId}-`)).toEqual([]);
  }, 120_000);

  it('completes', () => {
    expect(result.reason).toBeUndefined();
    expect(result.status).toBe('completed');
  });

  it('times ready from nothing running until the guest venv\'s Python answers, the boot apart', () => {
    const ready = result.metrics['ready.python.ms']!;
    const up = result.metrics['instance.up.ms']!;
    expect(ready.samples).toHaveLength(2);
    ready.samples!.forEach((r, i) => expect(r).toBeGreaterThan(up.samples![i]!));
    expect(up.method).toMatch(/guest agent answers/);
    // Two boots: too few for a 95% interval, and the statistics say so instead of printing one.
    expect(ready.stats!.ci95).toBeNull();
    expect(ready.stats!.ciCoverage).toBeNull();
  });

  it('reads QEMU\'s memory while the workload Python runs in the guest, beside that Python\'s own peak', () => {
    const qemu = result.metrics['memory.qemuRss.bytes']!.value;
    const guestUsed = result.metrics['memory.guestUsed.bytes']!.value;
    const workload = result.metrics['python.maxrss.bytes']!.value;
    expect(workload).toBeGreaterThan(5e6);
    expect(guestUsed).toBeGreaterThan(workload);
    expect(qemu).toBeGreaterThan(guestUsed);
  });

  it('reads the guest\'s own df, as the document does inside its VM', () => {
    const m = result.metrics;
    expect(m['disk.guestUsed.bytes']!.value).toBeGreaterThan(100e6);
    expect(m['disk.guestUsed.bytes']!.value + m['disk.guestAvail.bytes']!.value).toBeLessThanOrEqual(m['disk.guestSize.bytes']!.value);
    expect(m['disk.guestSize.bytes']!.value).toBeLessThanOrEqual(m['disk.virtual.bytes']!.value);
  });

  it('labels the install time with where and when it was measured', () => {
    expect(result.metrics['install.ms']!.method).toMatch(/^measured at image build \(\d{4}-\d\d-\d\dT[^)]+\), not in this run: pip install --no-index of requests/);
  });
});
