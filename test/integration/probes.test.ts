// Every isolation probe on real instances: venvs of every host interpreter, containers of the real daemon
// (also reached over a tcp:// forward), and two real QEMU guests. Only the probes run (no timing samples).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, connect, type Server } from 'node:net';
import { existsSync } from 'node:fs';
import { venvDriver } from '../../src/drivers/venv/driver.js';
import { dockerDriver } from '../../src/drivers/docker/index.js';
import { engine } from '../../src/drivers/docker/engine.js';
import { vmDriver } from '../../src/drivers/vm/index.js';
import { findQemuProcesses } from '../../src/drivers/vm/orphans.js';
import { runProbes } from '../../src/run/env-run.js';
import { hostFingerprint } from '../../src/measure/host.js';
import { hostPythons } from '../../src/probes/host-pythons.js';
import { testContext } from '../helpers/context.js';
import type { Driver } from '../../src/drivers/types.js';
import type { ProbeResult } from '../../src/results/schema.js';

/** A probe port no other test uses, so tests of other files running at the same time cannot clash with it. */
const probePort = (base: number) => base + Math.floor(Math.random() * 500) * 2;

const byId = (probes: ProbeResult[]) => Object.fromEntries(probes.map((p) => [p.id, p]));

describe('probes on real venvs', () => {
  let ctx: Awaited<ReturnType<typeof testContext>>;
  const results = new Map<string, ProbeResult[]>();
  let interpreters: string[] = [];

  beforeAll(async () => {
    // Every distinct host interpreter (here python3 and the system's python3.X when pyenv provides python3).
    interpreters = (await hostPythons([])).filter((p) => p.executable).map((p) => p.name);
    ctx = await testContext({ probePort: probePort(21000), environments: { venv: { enabled: true, interpreters } } as never });
    const host = await hostFingerprint();
    for (const spec of venvDriver.specs(ctx.config)) {
      const env = await venvDriver.create(spec, ctx);
      const b = await venvDriver.start(env, ctx);
      results.set(env.interpreter, await runProbes(venvDriver as unknown as Driver, env, ctx, host, b));
      await venvDriver.destroy(env, ctx);
    }
  }, 600_000);

  afterAll(async () => {
    expect(await ctx.cleanup.runAll()).toEqual([]);
  });

  it('finds a venv of every host interpreter sharing the interpreter, kernel, ports, files and programs', () => {
    for (const interp of interpreters) {
      const p = byId(results.get(interp)!);
      for (const id of ['port-clash', 'tmp-visibility', 'kernel', 'process-visibility', 'python-version', 'os-release', 'system-packages']) {
        expect(p[id], `${interp} ${id}: ${p[id]?.summary}`).toMatchObject({ isolated: false });
      }
      expect(p['python-version']!.evidence.sameBinaryAs, interp).toBe(interp);
      expect(p['kernel']!.evidence.insideBootId).toBe(p['kernel']!.evidence.hostBootId);
      expect(p['port-clash']!.evidence.secondServer).toMatch(/Address already in use|Errno 98/);
    }
  });

  it('separates only the packages: venv B beside venv A and the host\'s interpreters do not import what venv A installed', () => {
    for (const interp of interpreters) {
      const p = byId(results.get(interp)!)['package-visibility']!;
      expect(p, `${interp}: ${p.summary}`).toMatchObject({ isolated: true });
      expect(p.evidence).toMatchObject({ importableInInstance: true, importableInOther: false, otherIs: 'sibling-environment' });
      // Two venvs: two prefixes, the second one removed once the probe is done.
      expect(p.evidence.prefixOther).not.toBe(p.evidence.prefixInstance);
      expect(p.evidence.installedAt as string).toContain(p.evidence.prefixInstance as string);
      expect(existsSync(p.evidence.prefixOther as string)).toBe(false);
      expect(p.evidence.importableOnHost).toEqual(Object.fromEntries(interpreters.map((i) => [i, false])));
      expect(existsSync(p.evidence.installedAt as string)).toBe(false);
    }
  });
});

describe('probes on real containers', () => {
  let ctx: Awaited<ReturnType<typeof testContext>>;
  let probes: Record<string, ProbeResult>;

  beforeAll(async () => {
    ctx = await testContext({ probePort: probePort(23000) });
    const pre = await dockerDriver.preflight(ctx);
    expect(pre, `preflight: ${pre.reason}; ${pre.fix}`).toMatchObject({ ok: true });
    const [spec] = dockerDriver.specs(ctx.config);
    const env = await dockerDriver.create(spec!, ctx);
    const installed = await dockerDriver.install(env, ctx.config.packages, ctx);
    expect(installed.error).toBeUndefined();
    const b = await dockerDriver.start(env, ctx);
    probes = byId(await runProbes(dockerDriver as unknown as Driver, env, ctx, await hostFingerprint(), b));
  }, 1_200_000);

  afterAll(async () => {
    expect(await ctx.cleanup.runAll()).toEqual([]);
  });

  it('finds the host\'s kernel by its boot_id, and everything else the container\'s own', () => {
    const expected = {
      'port-clash': true,
      'tmp-visibility': true,
      kernel: false,
      'process-visibility': true,
      'python-version': true,
      'os-release': true,
      'system-packages': true,
      'package-visibility': true,
    };
    for (const [id, isolated] of Object.entries(expected)) {
      expect(probes[id], `${id}: ${probes[id]?.summary}`).toMatchObject({ isolated });
    }
    expect(probes['kernel']!.evidence).toMatchObject({ otherInstanceSameKernel: true });
    expect(probes['port-clash']!.evidence).toMatchObject({ secondAnswered: 200, hostPortClash: true });
    expect(probes['package-visibility']!.evidence).toMatchObject({ importableInInstance: true, importableInOther: false });
  });

  it('tells a tcp:// forward of the local daemon from another machine by what the daemon reports', async () => {
    const socket = (await engine(ctx)).host.replace(/^unix:\/\//, '');
    const server: Server = createServer((c) => {
      const up = connect(socket);
      c.pipe(up).pipe(c);
      c.on('error', () => up.destroy());
      up.on('error', () => c.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const tcpCtx = { ...ctx, config: { ...ctx.config, environments: { ...ctx.config.environments, docker: { ...ctx.config.environments.docker, host: `tcp://127.0.0.1:${port}` } } } };
      const placement = await dockerDriver.placement!(tcpCtx);
      expect(placement).toMatchObject({ sameMachine: true, reason: expect.stringContaining(`tcp://127.0.0.1:${port}`) });
    } finally {
      server.close();
    }
  });
});

describe('probes on real QEMU guests', () => {
  let ctx: Awaited<ReturnType<typeof testContext>>;
  let probes: Record<string, ProbeResult>;

  beforeAll(async () => {
    // The micro guest: the probes ask what any two guests answer; a full boot adds nothing here (vm-full.test.ts probes that one).
    ctx = await testContext({ probePort: probePort(25000), environments: { vm: { guests: ['micro'] } } as never });
    const pre = await vmDriver.preflight(ctx);
    expect(pre, `preflight: ${pre.reason}; ${pre.fix}`).toMatchObject({ ok: true });
    const [spec] = vmDriver.specs(ctx.config);
    expect(spec!.name).toBe('vm-micro');
    const env = await vmDriver.create(spec!, ctx);
    const b = await vmDriver.start(env, ctx);
    probes = byId(await runProbes(vmDriver as unknown as Driver, env, ctx, await hostFingerprint(), b));
  }, 1_800_000);

  afterAll(async () => {
    expect(await ctx.cleanup.runAll()).toEqual([]);
    expect(await findQemuProcesses(`isobench-${ctx.runId}-`)).toEqual([]);
  }, 120_000);

  it('finds its own kernel by boot_id, and two guests with two kernels', () => {
    const k = probes['kernel']!;
    expect(k, k.summary).toMatchObject({ isolated: true, evidence: { otherInstanceSameKernel: false } });
    expect(k.evidence.insideBootId).not.toBe(k.evidence.hostBootId);
  });

  it('keeps a package installed in one guest from the other guest and from the host', () => {
    const p = probes['package-visibility']!;
    expect(p, p.summary).toMatchObject({ isolated: true, evidence: { importableInInstance: true, importableInOther: false } });
  });

  it('isolates everything else on positive evidence', () => {
    for (const id of ['port-clash', 'tmp-visibility', 'process-visibility', 'python-version', 'os-release', 'system-packages']) {
      expect(probes[id], `${id}: ${probes[id]?.summary}`).toMatchObject({ isolated: true });
    }
    expect(probes['port-clash']!.evidence).toMatchObject({ secondAnswered: 200, hostPortClash: true });
  });
});
