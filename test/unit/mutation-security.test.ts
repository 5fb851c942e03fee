// What the security view, its code and a security claim's verdict say, pinned where the mutation run (npm run mutate) found gaps.
import { describe, expect, it } from 'vitest';
import { hasSecurityProbes, judgeSecurity, securityView, viewCode } from '../../src/claims/security.js';
import type { Claim } from '../../src/claims/schema.js';
import type { EnvResult, ProbeResult } from '../../src/results/schema.js';
import { en } from '../../src/report/i18n/en.js';

const probe = (id: ProbeResult['id'], isolated: boolean | null, evidence: Record<string, unknown>, summary = `${id} seen`): ProbeResult =>
  ({ id, isolated, summary, evidence });
const env = (probes: ProbeResult[]): EnvResult => ({
  kind: 'docker', name: 'docker-x', label: 'docker x', status: 'completed', steps: [], metrics: {}, probes, notes: [], facts: {},
});
const claim = (extra: Record<string, unknown>): Extract<Claim, { check: 'security' }> =>
  ({ id: 'docker.table.security', kind: 'docker', where: 'w', says: { en: 'Medium', ko: '중간' }, check: 'security', rest: { en: 'the rest is a judgment', ko: '판단' }, ...extra }) as never;

const hostKernel = probe('syscall-kernel', false, { answeredBy: 'host' }, 'the host kernel answers');
const guestKernel = probe('syscall-kernel', true, { answeredBy: 'guest' }, 'a guest kernel answers');
const rootIsRoot = probe('root-mapping', false, { rootOnHost: true }, 'root inside is root on the host');
const rootMapped = probe('root-mapping', true, { rootOnHost: false }, 'root inside is uid 100000 on the host');

describe('securityView', () => {
  it('reads each probe by its id, wherever it stands among the probes', () => {
    const v = securityView(env([probe('port-clash', true, { answeredBy: 'host', rootOnHost: true }), rootMapped, guestKernel]));
    expect(v.kernel).toBe('guest');
    expect(v.rootOnHost).toBe(false);
  });

  it('leaves a part undecided (null) when its probe is absent', () => {
    expect(securityView(env([rootMapped]))).toEqual({ kernel: null, rootOnHost: false, shared: [] });
    expect(securityView(env([guestKernel]))).toEqual({ kernel: 'guest', rootOnHost: null, shared: [] });
  });

  it('leaves a part undecided (null) when its probe recorded no answer of the right type', () => {
    const v = securityView(env([probe('syscall-kernel', null, { answeredBy: 7 }), probe('root-mapping', null, { rootOnHost: 'yes' })]));
    expect(v.kernel).toBeNull();
    expect(v.rootOnHost).toBeNull();
    const empty = securityView(env([probe('syscall-kernel', null, {}), probe('root-mapping', null, {})]));
    expect(empty.kernel).toBeNull();
    expect(empty.rootOnHost).toBeNull();
  });

  it('lists the probes that found something shared', () => {
    expect(securityView(env([hostKernel, probe('process-visibility', true, {}), probe('tmp-visibility', false, {})])).shared).toEqual(['syscall-kernel', 'tmp-visibility']);
  });
});

describe('hasSecurityProbes', () => {
  it('is true when either security probe is there, alone or among others', () => {
    expect(hasSecurityProbes(env([hostKernel]))).toBe(true);
    expect(hasSecurityProbes(env([rootIsRoot]))).toBe(true);
    expect(hasSecurityProbes(env([probe('port-clash', true, {}), rootIsRoot]))).toBe(true);
    expect(hasSecurityProbes(env([guestKernel, probe('port-clash', true, {})]))).toBe(true);
  });

  it('is false without either security probe, and with no probes at all', () => {
    expect(hasSecurityProbes(env([probe('port-clash', true, {}), probe('kernel', false, {})]))).toBe(false);
    expect(hasSecurityProbes(env([]))).toBe(false);
  });
});

describe('viewCode', () => {
  it('names each root state by a code the report translates', () => {
    const code = (rootOnHost: boolean | null) => viewCode({ kernel: 'host', rootOnHost, shared: [] });
    expect(code(true)).toBe('kernel=host root=host-root');
    expect(code(false)).toBe('kernel=host root=unprivileged');
    expect(code(null)).toBe('kernel=host root=unmeasured');
    for (const r of [true, false, null]) expect(en.spectrum.root).toHaveProperty(/root=(\S+)/.exec(code(r))![1]!);
  });

  it('says an undecided kernel is unmeasured, and names a decided one', () => {
    expect(viewCode({ kernel: null, rootOnHost: false, shared: [] })).toBe('kernel=unmeasured root=unprivileged');
    expect(viewCode({ kernel: 'gvisor', rootOnHost: true, shared: [] })).toBe('kernel=gvisor root=host-root');
    expect(en.spectrum.kernel).toHaveProperty('unmeasured');
  });
});

describe('judgeSecurity', () => {
  it('is informational when the kernel and root both agree, giving both findings and then the rest', () => {
    const j = judgeSecurity(claim({ kernel: 'host', rootOnHost: true }), env([hostKernel, rootIsRoot]));
    expect(j).toEqual({
      measured: { value: 'kernel=host root=host-root' },
      verdict: 'info',
      why: 'syscall-kernel: the host kernel answers; root-mapping: root inside is root on the host; the rest is a judgment',
    });
  });

  it('takes a claim that names only root as agreeing when root is as it says', () => {
    const j = judgeSecurity(claim({ rootOnHost: false }), env([rootMapped]));
    expect(j.verdict).toBe('info');
    expect(j.why).toBe('root-mapping: root inside is uid 100000 on the host; the rest is a judgment');
  });

  it('does not judge root when the claim says nothing of it (root is only shown beside)', () => {
    const j = judgeSecurity(claim({ kernel: 'host' }), env([hostKernel, rootIsRoot]));
    expect(j.verdict).toBe('info');
    expect(j.why).toBe('syscall-kernel: the host kernel answers; the rest is a judgment');
    expect(j.measured).toEqual({ value: 'kernel=host root=host-root' });
  });

  it('gives every contradiction, each with its probe', () => {
    const j = judgeSecurity(claim({ kernel: 'not-host', rootOnHost: false }), env([hostKernel, rootIsRoot]));
    expect(j.verdict).toBe('refuted');
    expect(j.why).toBe('syscall-kernel: the host kernel answers; root-mapping: root inside is root on the host');
  });

  it('refutes "all isolated" naming every shared probe, and agrees when none is shared', () => {
    const leaky = env([guestKernel, probe('tmp-visibility', false, {}), probe('port-clash', false, {})]);
    expect(judgeSecurity(claim({ allIsolated: true }), leaky)).toMatchObject({ verdict: 'refuted', why: 'shared: tmp-visibility, port-clash' });
    const tight = judgeSecurity(claim({ allIsolated: true }), env([guestKernel, probe('port-clash', true, {})]));
    expect(tight.verdict).toBe('info');
    expect(tight.why).toMatch(/^every probe found it isolated; /);
  });

  it('is not measured when no part was decided, giving what each probe saw, or that it is missing', () => {
    const blind = env([probe('syscall-kernel', null, { answeredBy: null }, 'no boot_id could be read'), probe('root-mapping', null, { rootOnHost: null }, 'a VM keeps the file in its disk')]);
    const j = judgeSecurity(claim({ kernel: 'not-host', rootOnHost: false }), blind);
    expect(j).toEqual({ verdict: 'not-measured', why: 'the probes did not decide it: no boot_id could be read; a VM keeps the file in its disk' });
    const onlyRoot = judgeSecurity(claim({ kernel: 'not-host' }), env([probe('root-mapping', null, { rootOnHost: null }, 'a VM keeps the file in its disk')]));
    expect(onlyRoot).toEqual({ verdict: 'not-measured', why: 'the probes did not decide it: no syscall-kernel probe; a VM keeps the file in its disk' });
  });

  it('judges the kernel when the root-mapping probe is missing', () => {
    const j = judgeSecurity(claim({ kernel: 'not-host', rootOnHost: false }), env([guestKernel]));
    expect(j).toMatchObject({ verdict: 'info', measured: { value: 'kernel=guest root=unmeasured' } });
    expect(j.why).toBe('syscall-kernel: a guest kernel answers; the rest is a judgment');
  });
});

describe('judgeSecurity on "all isolated" where probes did not decide', () => {
  const undecidedRoot = probe('root-mapping', null, { rootOnHost: null }, 'a VM keeps the file in its disk');

  it('is not measured when no probe decided anything', () => {
    const blind = env([probe('syscall-kernel', null, { answeredBy: null }), undecidedRoot, probe('port-clash', null, {})]);
    expect(judgeSecurity(claim({ allIsolated: true }), blind).verdict).toBe('not-measured');
  });

  it('agrees when no decided probe found anything shared, naming the probes that did not decide instead of saying every probe found it isolated', () => {
    const j = judgeSecurity(claim({ kernel: 'not-host', allIsolated: true }), env([guestKernel, undecidedRoot, probe('port-clash', null, {}), probe('tmp-visibility', true, {})]));
    expect(j.verdict).toBe('info');
    expect(j.why).not.toMatch(/every probe/);
    expect(j.why).toBe('syscall-kernel: a guest kernel answers; no probe found anything shared (not decided: root-mapping, port-clash); the rest is a judgment');
  });
});
