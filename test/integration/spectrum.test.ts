// The rows between a container and a VM, for real: the Docker driver under gVisor's runsc, and driving a rootless
// Podman through its Docker-compatible API. Each row: create, install (the Docker row's image), two instances, the
// probes that tell the rows apart. Needs runsc registered with dockerd and a rootless Podman service (.ci/spectrum.sh).
import { beforeAll, describe, expect, it } from 'vitest';
import { dockerDriver, type DockerEnv, type DockerInstance } from '../../src/drivers/docker/index.js';
import { syscallKernelProbe } from '../../src/probes/syscall-kernel.js';
import { rootMappingProbe } from '../../src/probes/root-mapping.js';
import { tmpVisibilityProbe } from '../../src/probes/tmp-visibility.js';
import { hostFingerprint } from '../../src/measure/host.js';
import { testContext } from '../helpers/context.js';
import type { Driver } from '../../src/drivers/types.js';
import type { ProbeResult } from '../../src/results/schema.js';
import type { Probe } from '../../src/probes/types.js';

const driver = dockerDriver as unknown as Driver<DockerEnv, DockerInstance>;

/** One row through the driver: preflight, create, install, two instances, the given probes; everything torn down. */
async function probeRow(name: string, probes: Probe[]) {
  const ctx = await testContext({ environments: { docker: { pull: 'never' } } } as never);
  const spec = driver.specs(ctx.config).find((s) => s.name === name)!;
  const pre = await driver.preflightSpec!(spec, ctx);
  expect(pre, `${name} preflight: ${pre?.reason}; fix: ${pre?.fix}`).toMatchObject({ ok: true });
  const env = await driver.create(spec, ctx);
  try {
    const installed = await driver.install(env, ctx.config.packages, ctx);
    expect(installed, installed.error).toMatchObject({ ok: true });
    const a = await driver.start(env, ctx);
    const b = await driver.start(env, ctx);
    const placement = await driver.placement!(ctx, env);
    const session = { driver: driver as unknown as Driver, env, a, b, ctx, host: await hostFingerprint(), port: 0, hostPort: 0, placement };
    const out: Record<string, ProbeResult> = {};
    for (const p of probes) out[p.id] = await p.run(session);
    return { env, probes: out };
  } finally {
    await driver.destroy(env, ctx);
    expect(await ctx.cleanup.runAll()).toEqual([]);
  }
}

describe('gVisor row (real runsc under Docker)', () => {
  let row: Awaited<ReturnType<typeof probeRow>>;
  beforeAll(async () => {
    row = await probeRow('docker-gvisor', [syscallKernelProbe, rootMappingProbe, tmpVisibilityProbe]);
  }, 600_000);

  it('names its runtime and platform', () => {
    expect(row.env.runtime).toBe('runsc');
    expect(row.env.label).toMatch(/gVisor runtime runsc \((ptrace|kvm|systrap) platform/);
  });

  it("is answered by gVisor's own kernel, not the host's", () => {
    const sk = row.probes['syscall-kernel']!;
    expect(sk, sk.summary).toMatchObject({ isolated: true, evidence: { answeredBy: 'gvisor' } });
    expect(sk.evidence.insideRelease).not.toBe(sk.evidence.hostRelease);
    expect(sk.evidence.insideBootId).not.toBe(sk.evidence.hostBootId);
  });

  it('keeps files apart (the other instance and the host do not see them)', () => {
    expect(row.probes['tmp-visibility'], row.probes['tmp-visibility']!.summary).toMatchObject({ isolated: true });
  });

  it("writes root's files as root on the host (no user namespace under the gofer): measured, not assumed", () => {
    expect(row.probes['root-mapping']!.evidence).toMatchObject({ insideUid: 0, hostOwner: 0, rootOnHost: true });
  });
});

describe('rootless Podman row (real Podman API as an unprivileged user)', () => {
  let row: Awaited<ReturnType<typeof probeRow>>;
  beforeAll(async () => {
    row = await probeRow('podman-rootless', [rootMappingProbe, syscallKernelProbe]);
  }, 600_000);

  it('maps root inside to an unprivileged uid on the host', () => {
    const rm = row.probes['root-mapping']!;
    expect(rm, rm.summary).toMatchObject({ isolated: true, evidence: { insideUid: 0, rootOnHost: false } });
    const owner = rm.evidence.hostOwner as number;
    expect(owner).toBeGreaterThan(0);
    expect(String(owner)).toBe(row.env.facts['podman.uid']);
    expect(rm.evidence.uidMap).toMatch(new RegExp(`^0\\s+${owner}\\s+1`));
  });

  it("still runs on the host's kernel", () => {
    expect(row.probes['syscall-kernel']!.evidence).toMatchObject({ answeredBy: 'host' });
  });
});
