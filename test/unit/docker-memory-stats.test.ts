import { describe, expect, it } from 'vitest';
import { containerMemory, vmRssBytes } from '../../src/drivers/docker/memory-stats.js';

describe('containerMemory', () => {
  it('subtracts total_inactive_file on cgroup v1 (which also lists inactive_file)', () => {
    const r = containerMemory({ usage: 10_000, stats: { total_inactive_file: 3_000, inactive_file: 1_000, cache: 5_000 } });
    expect(r.bytes).toBe(7_000);
    expect(r.method).toMatch(/cgroup v1/);
  });
  it('subtracts inactive_file on cgroup v2', () => {
    const r = containerMemory({ usage: 10_000, stats: { inactive_file: 4_000, anon: 6_000 } });
    expect(r.bytes).toBe(6_000);
    expect(r.method).toMatch(/cgroup v2/);
  });
  it('uses the raw usage when the cache is not smaller than it', () => {
    expect(containerMemory({ usage: 100, stats: { inactive_file: 200 } }).bytes).toBe(100);
  });
  it('says what is missing without a usage', () => {
    expect(() => containerMemory({})).toThrow(/memory cgroup controller/);
  });
});

describe('vmRssBytes', () => {
  it('reads VmRSS in kB as bytes', () => {
    expect(vmRssBytes('Name:\tpython3\nVmRSS:\t    9028 kB\nThreads:\t1\n')).toBe(9028 * 1024);
  });
  it('throws without a VmRSS line', () => {
    expect(() => vmRssBytes('Name:\tkthreadd\n')).toThrow(/VmRSS/);
  });
});
