// Suite rows for real: two containers of different Debian suites (bullseye, trixie) and two micro guests of different
// kernels (bookworm 6.1, bullseye 5.10), one start each; the python-version, os-release and kernel probes see them differ.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { release } from 'node:os';
import { readFile } from 'node:fs/promises';
import { dockerDriver } from '../../src/drivers/docker/index.js';
import { vmDriver } from '../../src/drivers/vm/index.js';
import { findQemuProcesses } from '../../src/drivers/vm/orphans.js';
import { kernelProbe } from '../../src/probes/kernel.js';
import { osReleaseProbe } from '../../src/probes/os-release.js';
import { pythonVersionProbe } from '../../src/probes/python-version.js';
import type { Driver, Env, Instance } from '../../src/drivers/types.js';
import type { HostInfo, ProbeResult } from '../../src/results/schema.js';
import { testContext } from '../helpers/context.js';

type Ctx = Awaited<ReturnType<typeof testContext>>;
const PROBES = [pythonVersionProbe, osReleaseProbe, kernelProbe];

/** Creates each spec's env, starts one instance of it (shared by every probe: one start each), runs the three probes. */
async function probeRows(driver: Driver, names: string[], ctx: Ctx): Promise<Record<string, { env: Env; probes: Record<string, ProbeResult> }>> {
  const out: Record<string, { env: Env; probes: Record<string, ProbeResult> }> = {};
  const placement = { sameMachine: true, reason: 'this machine' };
  for (const spec of driver.specs(ctx.config).filter((s) => names.includes(s.name))) {
    const env = await driver.create(spec, ctx);
    const inst: Instance = await driver.start(env, ctx);
    try {
      const probes: Record<string, ProbeResult> = {};
      for (const p of PROBES) probes[p.id] = await p.run({ driver, env, a: inst, b: inst, ctx, host: {} as HostInfo, port: 18950, hostPort: 18951, placement });
      out[spec.name] = { env, probes };
    } finally {
      await driver.stop(inst);
      await driver.destroy(env, ctx);
    }
  }
  return out;
}

const hostOs = async () => /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(await readFile('/etc/os-release', 'utf8'))![1];

describe('suite rows (real Docker daemon)', () => {
  let ctx: Ctx;
  let rows: Awaited<ReturnType<typeof probeRows>>;

  beforeAll(async () => {
    ctx = await testContext({ environments: { docker: { suites: ['bullseye', 'trixie'] } } as never });
    const pre = await dockerDriver.preflight(ctx);
    expect(pre, `preflight: ${pre.reason}; ${pre.fix}`).toMatchObject({ ok: true });
    rows = await probeRows(dockerDriver as unknown as Driver, ['docker-bullseye', 'docker-trixie'], ctx);
  }, 900_000);

  afterAll(async () => {
    expect(await ctx.cleanup.runAll()).toEqual([]);
  }, 120_000);

  it('show another Python and another OS release than the host\'s and each other\'s, on the host\'s kernel', async () => {
    const [b, t] = [rows['docker-bullseye']!, rows['docker-trixie']!];
    expect(b.probes['python-version']!.evidence.inside).toMatch(/^3\.9\.\d+$/);
    expect(t.probes['python-version']!.evidence.inside).toMatch(/^3\.13\.\d+$/);
    const hostPythons = Object.values(b.probes['python-version']!.evidence.host as Record<string, string>);
    expect(hostPythons.length).toBeGreaterThan(0);
    expect(hostPythons.some((h) => h.startsWith('3.9.'))).toBe(false);
    expect(b.probes['python-version']!.isolated).toBe(true);
    expect(b.probes['os-release']!.evidence).toMatchObject({ inside: 'Debian GNU/Linux 11 (bullseye)', host: await hostOs() });
    expect(t.probes['os-release']!.evidence.inside).toMatch(/^Debian GNU\/Linux 13 \(trixie\)$/);
    for (const r of [b, t]) {
      expect(r.probes['kernel']!.evidence).toMatchObject({ inside: release(), host: release() });
      expect(r.probes['kernel']!.isolated).toBe(false);
    }
    expect(b.env.facts).toMatchObject({ 'debian.suite': 'bullseye (Debian 11)', 'docker.python': '3.9' });
    expect(b.env.label).toContain('python3-requests');
  });
});

describe('suite rows (real QEMU micro guests)', () => {
  let ctx: Ctx;
  let rows: Awaited<ReturnType<typeof probeRows>>;

  beforeAll(async () => {
    ctx = await testContext({ environments: { vm: { guests: ['micro'], suites: ['bullseye'], vagrant: { enabled: false } } } as never });
    const pre = await vmDriver.preflight(ctx);
    expect(pre, `preflight: ${pre.reason}; ${pre.fix}`).toMatchObject({ ok: true });
    rows = await probeRows(vmDriver as unknown as Driver, ['vm-micro', 'vm-micro-bullseye'], ctx);
  }, 1_800_000);

  afterAll(async () => {
    expect(await ctx.cleanup.runAll()).toEqual([]);
    expect(await findQemuProcesses(`isobench-${ctx.runId}-`)).toEqual([]);
  }, 120_000);

  it('run two kernels of different releases beside the host\'s, each its own boot, with their suites\' Python and OS', async () => {
    const [m, b] = [rows['vm-micro']!, rows['vm-micro-bullseye']!];
    const k = (r: typeof m) => r.probes['kernel']!.evidence;
    expect(k(m).inside).toMatch(/^6\.1\./);
    expect(k(b).inside).toMatch(/^5\.10\./);
    expect(k(b).host).toBe(release());
    expect(new Set([k(m).insideBootId, k(b).insideBootId, k(m).hostBootId]).size).toBe(3);
    expect(b.probes['kernel']!.isolated).toBe(true);
    expect(b.probes['python-version']!.evidence.inside).toMatch(/^3\.9\.\d+$/);
    expect(m.probes['python-version']!.evidence.inside).toMatch(/^3\.11\.\d+$/);
    expect(b.probes['os-release']!.evidence.inside).toBe('Debian GNU/Linux 11 (bullseye)');
    expect(b.env.facts).toMatchObject({ 'debian.suite': 'bullseye (Debian 11)', 'vm.kernel': k(b).inside });
    expect(b.env.label).toMatch(/Debian bullseye \(Debian 11\) minbase.*kernel 5\.10\./);
  });
});
