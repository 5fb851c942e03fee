// The KVM trial's cached answer: keyed by QEMU version, host kernel and CPU model; stated as cached.
import { describe, expect, it } from 'vitest';
import { cachedDecision, trialCachePath } from '../../src/drivers/vm/accel.js';
import { parseAccel } from '../../src/commands/run.js';
import { vmConfig } from '../../src/drivers/vm/config.js';

const host = { qemu: 'QEMU emulator version 7.2.19', kernel: '6.1.0-40-amd64', cpu: 'AMD EPYC' };

describe('KVM trial cache', () => {
  it('keys the cache file by QEMU version, kernel and CPU model', () => {
    const p = trialCachePath(host, '/c');
    expect(p).toMatch(/^\/c\/vm\/accel-trial-[0-9a-f]{16}\.json$/);
    expect(trialCachePath(host, '/c')).toBe(p);
    expect(trialCachePath({ ...host, qemu: 'QEMU emulator version 8.0' }, '/c')).not.toBe(p);
    expect(trialCachePath({ ...host, kernel: '6.1.0-41-amd64' }, '/c')).not.toBe(p);
    expect(trialCachePath({ ...host, cpu: 'Intel Xeon' }, '/c')).not.toBe(p);
  });

  it('says the decision is cached, from when and where, and how to try again', () => {
    const d = cachedDecision({ host, at: '2026-11-29T10:00:00Z', decision: { accel: 'tcg', reason: 'a KVM trial boot failed: hung' } });
    expect(d.accel).toBe('tcg');
    expect(d.reason).toMatch(/^a KVM trial boot failed: hung; cached from a trial at 2026-11-29T10:00:00Z on QEMU emulator version 7\.2\.19, kernel 6\.1\.0-40-amd64, AMD EPYC/);
    expect(d.reason).toMatch(/kvm-trial or `isobench doctor` tries again/);
  });

  it('accepts kvm-trial in the config and on --accel; rejects anything else naming the flag', () => {
    expect(vmConfig.parse({ accel: 'kvm-trial' }).accel).toBe('kvm-trial');
    expect(parseAccel('kvm-trial')).toBe('kvm-trial');
    expect(() => parseAccel('fast')).toThrow(/--accel: expected one of auto, kvm-trial, kvm, tcg, got "fast"/);
  });
});
