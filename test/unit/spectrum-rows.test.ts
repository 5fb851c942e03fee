import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { keepAliveCreateOptions, oneShotCreateOptions } from '../../src/drivers/docker/container-spec.js';
import { dockerRows, runscDefaultPlatform, runscPlatform } from '../../src/drivers/docker/rows.js';
import { judgeSecurity } from '../../src/claims/security.js';
import { bySpectrum } from '../../src/report/spectrum-order.js';
import type { Claim } from '../../src/claims/schema.js';
import type { EnvResult, ProbeResult } from '../../src/results/schema.js';

describe('docker rows', () => {
  it('are the Docker engine, rootless Podman and gVisor by default, each as data on one driver', () => {
    const rows = dockerRows(configSchema.parse({}));
    expect(rows.map((r) => [r.name, r.engine, r.runtime, r.step])).toEqual([
      ['docker-requests', 'docker', undefined, 'container'],
      ['podman-rootless', 'podman', undefined, 'rootless-container'],
      ['docker-gvisor', 'docker', 'runsc', 'gvisor'],
    ]);
  });

  it('follow the config: rows off, another runtime name, and none when docker is off', () => {
    const c = configSchema.parse({ environments: { docker: { podman: { enabled: false }, gvisor: { runtime: 'runsc-kvm' } } } });
    expect(dockerRows(c).map((r) => r.runtime ?? r.engine)).toEqual(['docker', 'runsc-kvm']);
    expect(dockerRows(configSchema.parse({ environments: { docker: { enabled: false } } }))).toEqual([]);
  });

  it('put the runtime and network into the container spec, and publish nothing without a network', () => {
    const spec = keepAliveCreateOptions({ image: 'i', runId: 'r', env: 'e', runtime: 'runsc', publish: [{ inside: 1, host: 2 }] });
    expect(spec.HostConfig).toMatchObject({ Runtime: 'runsc', NetworkMode: 'bridge', PortBindings: { '1/tcp': [{ HostIp: '127.0.0.1', HostPort: '2' }] } });
    const none = keepAliveCreateOptions({ image: 'i', runId: 'r', env: 'e', network: 'none', publish: [{ inside: 1, host: 2 }] });
    expect(none.HostConfig).toMatchObject({ NetworkMode: 'none', PortBindings: {} });
    expect(none.HostConfig).not.toHaveProperty('Runtime');
    expect(oneShotCreateOptions('i', ['true'], 'r', { runtime: 'runsc' }).HostConfig).toMatchObject({ Runtime: 'runsc' });
  });

  it("read runsc's platform from its runtime arguments, else from its flags' default", () => {
    expect(runscPlatform(['--network=host', '--platform=kvm'], 'ptrace')).toBe('kvm');
    expect(runscPlatform(['--platform', 'systrap'], 'ptrace')).toBe('systrap');
    expect(runscPlatform(undefined, 'ptrace')).toBe('ptrace');
    expect(runscDefaultPlatform('  -platform string\n    \tspecifies which platform to use: ptrace (default), kvm. (default "ptrace")\n')).toBe('ptrace');
  });
});

const probe = (id: ProbeResult['id'], isolated: boolean | null, evidence: Record<string, unknown>): ProbeResult => ({ id, isolated, summary: `${id} seen`, evidence });
const env = (name: string, kind: EnvResult['kind'], step: string, probes: ProbeResult[] = []): EnvResult => ({
  kind, name, label: name, status: 'completed', steps: [], metrics: {}, probes, notes: [], facts: { 'isolation.step': step },
});
const claim = (extra: Record<string, unknown>): Extract<Claim, { check: 'security' }> =>
  ({ id: 'x.table.security', kind: 'vm', where: 'w', says: { en: 'High', ko: '높음' }, check: 'security', rest: { en: 'the rest is a judgment', ko: '나머지는 판단' }, ...extra }) as never;

describe('security claims on the probes', () => {
  const guest = env('vm-full', 'vm', 'full-vm', [probe('syscall-kernel', true, { answeredBy: 'guest' }), probe('root-mapping', null, { rootOnHost: null }), probe('port-clash', true, {})]);
  const docker = env('docker-requests', 'docker', 'container', [probe('syscall-kernel', false, { answeredBy: 'host' }), probe('root-mapping', false, { rootOnHost: true })]);

  it('are informational where every decided part agrees, naming the rest a judgment', () => {
    const j = judgeSecurity(claim({ kernel: 'not-host' }), guest);
    expect(j).toMatchObject({ verdict: 'info', measured: { value: 'kernel=guest root=unmeasured' } });
    expect(j.why).toMatch(/syscall-kernel seen; the rest is a judgment/);
  });

  it('are refuted where a decided part contradicts the level', () => {
    expect(judgeSecurity(claim({ kernel: 'not-host' }), docker)).toMatchObject({ verdict: 'refuted' });
    expect(judgeSecurity(claim({ kernel: 'host', rootOnHost: false }), docker).why).toMatch(/^root-mapping: root-mapping seen/);
    const leaky = env('vm-x', 'vm', 'full-vm', [...guest.probes, probe('tmp-visibility', false, {})]);
    expect(judgeSecurity(claim({ kernel: 'not-host', allIsolated: true }), leaky)).toMatchObject({ verdict: 'refuted', why: 'shared: tmp-visibility' });
  });

  it('are not measured when the probes decided none of their parts', () => {
    const blind = env('vm-y', 'vm', 'full-vm', [probe('syscall-kernel', null, { answeredBy: null }), probe('root-mapping', null, { rootOnHost: null })]);
    expect(judgeSecurity(claim({ kernel: 'not-host', rootOnHost: false }), blind).verdict).toBe('not-measured');
  });
});

describe('bySpectrum', () => {
  it('orders rows from the least to the most isolated, old results by their kind', () => {
    const rows = [env('vm-full', 'vm', 'full-vm'), env('g', 'docker', 'gvisor'), env('p', 'docker', 'rootless-container'), env('vm-micro', 'vm', 'micro-vm'), env('d', 'docker', 'container'), env('v', 'venv', 'venv')];
    expect(bySpectrum(rows).map((e) => e.name)).toEqual(['v', 'd', 'p', 'g', 'vm-micro', 'vm-full']);
    const old = { ...env('old-docker', 'docker', 'x'), facts: {} };
    expect(bySpectrum([env('vm-full', 'vm', 'full-vm'), old]).map((e) => e.name)).toEqual(['old-docker', 'vm-full']);
  });
});

describe('spectrumRow', () => {
  it('gives every row the same quantities, and says whose count a sandbox memory number is', async () => {
    const { spectrumRow } = await import('../../src/report/spectrum.js');
    const { messages } = await import('../../src/report/i18n/index.js');
    const metric = (value: number, unit: 'ms' | 'bytes') => ({ value, unit, method: 'm' });
    const g: EnvResult = {
      ...env('docker-gvisor', 'docker', 'gvisor', [probe('syscall-kernel', true, { answeredBy: 'gvisor' }), probe('root-mapping', false, { rootOnHost: true })]),
      metrics: { 'ready.python.ms': metric(545, 'ms'), 'image.bytes': metric(148.8e6, 'bytes'), 'python.maxrss.bytes': metric(36.8e6, 'bytes'), 'memory.processes.bytes': metric(50.5e6, 'bytes') },
    };
    g.facts['memory.processes.seenBy'] = 'sandbox-kernel';
    const [step, ready, disk, memory, host, kernel, root, isolated] = spectrumRow(g, messages('en'));
    expect([step, ready, disk, memory]).toEqual(['Container under gVisor (runsc) (docker-gvisor)', '545 ms', '149 MB', '36.8 MB']);
    expect(host).toBe("50.5 MB (as gVisor's own kernel counts it, not the host's view)");
    expect([kernel, root, isolated]).toEqual(["gVisor's Sentry", 'root on the host', '1 of 2']);
    expect(spectrumRow(g, messages('ko')).slice(5, 7)).toEqual(['gVisor의 Sentry', '호스트의 root']);
  });
});

describe('the probe tally counts distinct evidence', () => {
  it('counts probes that declare the same evidence once, isolated when one found isolation and none found sharing', async () => {
    const { evidenceTally } = await import('../../src/report/probe-tally.js');
    const { PROBES } = await import('../../src/probes/index.js');
    const { spectrumRow } = await import('../../src/report/spectrum.js');
    const { messages } = await import('../../src/report/i18n/index.js');
    const shares = (p: ProbeResult): ProbeResult => ({ ...p, sameEvidenceAs: 'kernel' });
    // A guest: kernel and syscall-kernel both isolated on one boot_id: one of two pieces of evidence, not two of three.
    const vm = [probe('kernel', true, {}), shares(probe('syscall-kernel', true, { answeredBy: 'guest' })), probe('root-mapping', null, {})];
    expect(evidenceTally(vm)).toEqual({ isolated: 1, of: 2 });
    expect(spectrumRow(env('vm-full', 'vm', 'full-vm', vm), messages('en'))[7]).toBe('1 of 2');
    // gVisor: no boot_id (kernel undecided), the log decides syscall-kernel: the group is isolated.
    expect(evidenceTally([probe('kernel', null, {}), shares(probe('syscall-kernel', true, {}))])).toEqual({ isolated: 1, of: 1 });
    // A group with a sharing member is not isolated; results without the field count each probe (older files).
    expect(evidenceTally([probe('kernel', false, {}), shares(probe('syscall-kernel', true, {}))])).toEqual({ isolated: 0, of: 1 });
    expect(evidenceTally([probe('kernel', true, {}), probe('syscall-kernel', true, {})])).toEqual({ isolated: 2, of: 2 });
    // The probes declare it as data: the ten probes are nine pieces of evidence.
    expect(PROBES.find((p) => p.id === 'syscall-kernel')?.sameEvidenceAs).toBe('kernel');
    expect(new Set(PROBES.map((p) => p.sameEvidenceAs ?? p.id)).size).toBe(PROBES.length - 1);
  });
});
