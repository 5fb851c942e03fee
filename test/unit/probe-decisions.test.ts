// The probes' decisions: "isolated" or "shared" only on positive evidence, "not measured" (null) otherwise.
import { describe, expect, it } from 'vitest';
import { judgeSecondServer } from '../../src/probes/port-clash.js';
import { judgeKernel } from '../../src/probes/kernel.js';
import { judgeProgram } from '../../src/probes/system-packages.js';
import { hostVersions, judgePython, type PyInfo } from '../../src/probes/python-version.js';
import { isPython3Name, onePerBinary, pythonCandidates } from '../../src/probes/host-pythons.js';
import { judgePackages } from '../../src/probes/package-visibility.js';
import { sameFile } from '../../src/probes/file-identity.js';
import { OutputWatch, WaitFailed } from '../../src/drivers/output-watch.js';

const SERVING = 'Serving HTTP on 127.0.0.1 port 8000 (http://127.0.0.1:8000/) ...';
const CLASH = 'OSError: [Errno 98] Address already in use';

describe('port-clash: the second server', () => {
  it('is isolated only when it printed its serving line and answered a GET inside its instance', () => {
    expect(judgeSecondServer({ output: `${SERVING}\n`, status: 200 })).toMatchObject({ isolated: true });
    expect(judgeSecondServer({ output: `${SERVING}\n`, status: null, getError: 'URLError: refused' })).toEqual({
      isolated: null,
      seen: `printed "${SERVING}" but GET / inside its instance failed: URLError: refused`,
    });
  });

  it('is shared on "address in use" only', () => {
    expect(judgeSecondServer({ output: `Traceback (most recent call last):\n${CLASH}\n`, ended: 'exited with 1' })).toEqual({ isolated: false, seen: CLASH });
  });

  it('is not measured when it died or timed out for another reason', () => {
    const died = judgeSecondServer({ output: "ModuleNotFoundError: No module named 'http'\n", ended: 'exited with 1' });
    expect(died.isolated).toBeNull();
    expect(died.seen).toContain('exited with 1');
    expect(died.seen).toContain('ModuleNotFoundError');
    expect(judgeSecondServer({ output: '', ended: 'timed out after 60000 ms' })).toMatchObject({ isolated: null, seen: expect.stringContaining('timed out') });
  });

  it('does not take the waited-for pattern in a failure message for output', async () => {
    const watch = new OutputWatch();
    const waiting = watch.waitFor(/Serving HTTP on|Address already in use/, 5_000).catch((e: unknown) => e);
    watch.push('boom\n');
    watch.close('exited with 1');
    const err = await waiting;
    expect(err).toBeInstanceOf(WaitFailed);
    expect(err).toMatchObject({ why: 'exited with 1', output: 'boom\n' });
    expect(judgeSecondServer({ output: (err as WaitFailed).output, ended: (err as WaitFailed).why }).isolated).toBeNull();
  });
});

describe('kernel: identity, not the release string', () => {
  const host = { bootId: 'b0b0', release: '6.1.0-18-amd64' };
  it('is shared on the host\'s boot_id and its own kernel on another, even with the same release', () => {
    expect(judgeKernel({ bootId: 'b0b0', release: '6.1.0-18-amd64' }, host)).toMatchObject({ isolated: false });
    const guest = judgeKernel({ bootId: 'c1c1', release: '6.1.0-18-amd64' }, host);
    expect(guest.isolated).toBe(true);
    expect(guest.summary).toContain('the same release string, yet another running kernel');
  });

  it('is not measured without both boot_ids, or when the instances run on another machine', () => {
    expect(judgeKernel({ bootId: null, release: '6.1.0' }, host).isolated).toBeNull();
    const remote = judgeKernel({ bootId: 'c1c1', release: '6.8.0' }, host, 'the Docker daemon at ssh://box is reached over SSH');
    expect(remote.isolated).toBeNull();
    expect(remote.summary).toContain('reached over SSH');
    expect(remote.summary).toContain('release 6.8.0 inside');
  });
});

describe('files by identity', () => {
  const id = ['2049', '131', '4096', '1700000000123456789'];
  it('needs every part equal and known', () => {
    expect(sameFile(id, [...id])).toBe(true);
    expect(sameFile(id, ['2049', '131', '4096', '1700000000123456788'])).toBe(false);
    expect(sameFile(null, id)).toBe(false);
    expect(sameFile([], [])).toBe(false);
  });

  it('system-packages: the host\'s own file is shared, a copy of the same name is not, absence is isolated', () => {
    const host = { path: '/usr/bin/git', ident: id };
    expect(judgeProgram('git', host, { path: '/usr/bin/git', ident: [...id] })).toMatchObject({ isolated: false });
    expect(judgeProgram('git', host, { path: '/usr/bin/git', ident: ['88', '131', '4096', id[3]!] })).toMatchObject({ isolated: true });
    expect(judgeProgram('git', host, { path: null, ident: null })).toMatchObject({ isolated: true });
    expect(judgeProgram('git', host, { path: '/usr/bin/git', ident: null })).toMatchObject({ isolated: null });
  });
});

describe('python-version: against every host interpreter', () => {
  const py = (version: string, executable: string, ino: string): PyInfo => ({
    version,
    build: `${version} (main) [GCC 12.2.0]`,
    executable,
    file: ['2049', ino, '6831736', '1745800000000000000'],
  });
  const pyenv = py('3.11.7', '/opt/pyenv/versions/3.11.7/bin/python3.11', '900');
  const system = py('3.11.2', '/usr/bin/python3.11', '131');

  it('tries python3, the configured interpreters and those on PATH once each, and keeps one name per binary', () => {
    expect(pythonCandidates(['python3', '/usr/bin/python3.11'], ['/opt/pyenv/shims/python3', '/usr/bin/python3.11'])).toEqual([
      'python3',
      '/usr/bin/python3.11',
      '/opt/pyenv/shims/python3',
    ]);
    const found = [
      { name: 'python3', executable: '/opt/pyenv/versions/3.11.7/bin/python3.11' },
      { name: '/usr/bin/python3.11', executable: '/usr/bin/python3.11' },
      { name: '/opt/pyenv/shims/python3', executable: '/opt/pyenv/versions/3.11.7/bin/python3.11' },
      { name: 'python3.12', executable: null },
    ];
    expect(onePerBinary(found).map((p) => p.name)).toEqual(['python3', '/usr/bin/python3.11', 'python3.12']);
  });

  it('a venv built from a host interpreter that is not `python3` is the host\'s, and the summary lists what else the host has', () => {
    const r = judgePython(system, [{ name: 'python3', info: pyenv }, { name: '/usr/bin/python3.11', info: system }]);
    expect(r).toMatchObject({ isolated: false, match: '/usr/bin/python3.11' });
    expect(r.summary).toContain('another version only where the host has one installed (the host\'s: python3 3.11.7, /usr/bin/python3.11 3.11.2)');
  });

  it('finds the interpreters a venv could be made from by name: python3 and python3.N, not their tools', () => {
    expect(['python3', 'python3.8', 'python3.13', 'python3-config', 'python3.11-config', 'python3.6m', 'python3.12-gdb.py', 'python', 'python2.7'].filter(isPython3Name)).toEqual([
      'python3',
      'python3.8',
      'python3.13',
    ]);
    const v = (version: string) => ({ name: version, info: py(version, `/x/${version}`, version) });
    expect(hostVersions([v('3.11.7'), v('3.9.2'), { name: 'python3.12', info: null }, v('3.11.7'), v('3.10.1')])).toEqual(['3.9.2', '3.10.1', '3.11.7']);
  });

  it('the same build as another file (a container of the host\'s distribution) is its own', () => {
    const inContainer = { ...system, file: ['77', '131', '6831736', '1745800000000000000'] };
    expect(judgePython(inContainer, [{ name: 'python3', info: system }]).isolated).toBe(true);
  });

  it('is not measured when no host interpreter ran or a binary has no identity', () => {
    expect(judgePython(system, [{ name: 'python3', info: null }]).isolated).toBeNull();
    expect(judgePython({ ...system, file: null }, [{ name: 'python3', info: pyenv }]).isolated).toBeNull();
  });
});

describe('package-visibility', () => {
  const host = [
    { name: 'python3', seen: false },
    { name: '/usr/bin/python3.11', seen: false },
  ];
  it('is isolated when the other environment and every host interpreter ran and none imports the package', () => {
    const r = judgePackages({ inA: true, inB: false, host });
    expect(r.isolated).toBe(true);
    expect(r.summary).toContain('not importable by the host\'s python3, /usr/bin/python3.11, nor in another environment');
  });

  it('is shared when the other environment (venv B beside venv A) imports it, whatever the host shows', () => {
    expect(judgePackages({ inA: true, inB: true, host })).toMatchObject({ isolated: false, summary: expect.stringContaining('importable in another one') });
    expect(judgePackages({ inA: true, inB: true, host }, 'elsewhere').isolated).toBe(false);
  });

  it('is shared when a host interpreter imports it', () => {
    expect(judgePackages({ inA: true, inB: false, host: [{ name: 'python3', seen: true }] }).isolated).toBe(false);
  });

  it('is not measured without the control, a host interpreter, or on another machine', () => {
    expect(judgePackages({ inA: false, inB: false, host }).isolated).toBeNull();
    expect(judgePackages({ inA: true, inB: false, host: [{ name: 'python3', seen: null }] }).isolated).toBeNull();
    expect(judgePackages({ inA: true, inB: false, host }, 'the Docker daemon at tcp://10.0.0.5:2375 runs on host "box"').isolated).toBeNull();
  });
});
