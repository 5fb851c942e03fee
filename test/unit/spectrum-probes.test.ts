import { describe, expect, it } from 'vitest';
import { judgeSyscallKernel, type SyscallView } from '../../src/probes/syscall-kernel.js';
import { judgeRootMapping, mapUid, parseUidMap } from '../../src/probes/root-mapping.js';

const host: SyscallView = { bootId: 'aaaa', release: '6.1.0-18-amd64', version: 'Linux version 6.1.0-18-amd64 (gcc 12)', btime: 1_700_000_000 };

describe('judgeSyscallKernel', () => {
  it('names the host kernel on the same boot_id', () => {
    const j = judgeSyscallKernel({ ...host }, host);
    expect(j).toMatchObject({ answeredBy: 'host', isolated: false });
  });

  it("names gVisor's Sentry from its kernel log, with what shows the host's kernel is not answering", () => {
    const inside: SyscallView = { bootId: null, release: '4.4.0', version: 'Linux version 4.4.0 #1 SMP Sun Jan 10 15:06:54 PST 2016', btime: 1_700_000_500, log: '<6>[   0.000000] Starting gVisor...\n' };
    const j = judgeSyscallKernel(inside, host);
    expect(j.answeredBy).toBe('gvisor');
    expect(j.isolated).toBe(true);
    expect(j.summary).toMatch(/release 4\.4\.0 \(the host runs 6\.1\.0-18-amd64\)/);
  });

  it('names a guest kernel from its own boot record and another boot_id', () => {
    const inside: SyscallView = { bootId: 'bbbb', release: '6.1.0-18-amd64', version: host.version, btime: 1_700_000_900, log: '[    0.000000] Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org)\n' };
    expect(judgeSyscallKernel(inside, host)).toMatchObject({ answeredBy: 'guest', isolated: true });
  });

  it('says another kernel, not which, when the log cannot be read', () => {
    const inside: SyscallView = { bootId: 'bbbb', release: host.release, version: host.version, btime: host.btime, logError: 'syslog(2) refused: errno 1' };
    const j = judgeSyscallKernel(inside, host);
    expect(j).toMatchObject({ answeredBy: 'other', isolated: true });
    expect(j.summary).toMatch(/which one is not measured: its kernel log could not be read/);
  });

  it('decides nothing without positive evidence either way', () => {
    const inside: SyscallView = { bootId: null, release: host.release, version: host.version, btime: host.btime };
    expect(judgeSyscallKernel(inside, host)).toMatchObject({ answeredBy: null, isolated: null });
  });

  it('decides nothing for instances on another machine', () => {
    expect(judgeSyscallKernel({ ...host, bootId: 'cccc' }, host, 'the Docker daemon is reached over SSH')).toMatchObject({ answeredBy: null, isolated: null });
  });
});

describe('root mapping', () => {
  it('parses uid_map and maps through its ranges', () => {
    const ranges = parseUidMap('         0       1001          1\n         1     100000      65536\n');
    expect(ranges).toEqual([{ inside: 0, outside: 1001, count: 1 }, { inside: 1, outside: 100000, count: 65536 }]);
    expect(mapUid(ranges, 0)).toBe(1001);
    expect(mapUid(ranges, 33)).toBe(100032);
    expect(mapUid(ranges, 70000)).toBeUndefined();
  });

  it('root whose file the host sees owned by uid 0 is root on the host', () => {
    expect(judgeRootMapping(0, '0 0 4294967295', 0)).toMatchObject({ isolated: false, rootOnHost: true });
  });

  it('root whose file the host sees owned by another uid is unprivileged there, whatever its own uid_map says', () => {
    expect(judgeRootMapping(0, '0 1001 1\n1 100000 65536', 1001)).toMatchObject({ isolated: true, rootOnHost: false });
    // gVisor shows an identity map of its own; the host-side owner decides.
    expect(judgeRootMapping(0, '0 0 4294967295', 0).summary).toMatch(/owned by uid 0 on this host/);
  });

  it('a non-root user without a user namespace would be root as root: shared', () => {
    expect(judgeRootMapping(1000, '0 0 4294967295', 1000)).toMatchObject({ isolated: false, rootOnHost: true });
  });

  it('is not measured without a host-side file, and says what it saw', () => {
    const j = judgeRootMapping(0, '0 0 4294967295', undefined, 'a guest writes to its own disk image');
    expect(j).toMatchObject({ isolated: null, rootOnHost: null });
    expect(j.summary).toMatch(/a guest writes to its own disk image; uid_map inside: 0 0 4294967295/);
  });
});
