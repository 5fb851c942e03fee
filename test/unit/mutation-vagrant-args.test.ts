// The Vagrant backend's variables, argv and parsers of vagrant's output, pinned where the mutation run
// (npm run mutate) found gaps.
import { describe, expect, it } from 'vitest';
import { vmConfig } from '../../src/drivers/vm/config.js';
import { destroyArgv, parseMachineReadable, parseReadyProbe, parseSshConfig, READY_PROBE, upPhase, vagrantEnv } from '../../src/drivers/vm/vagrant-args.js';

describe('the Vagrantfile variables', () => {
  // Built inside each test, so that the mutation run's per-test coverage sees the call.
  const envOf = () =>
    vagrantEnv(
      vmConfig.parse({ vagrant: { provider: 'libvirt' } }),
      { name: 'n', publish: [{ inside: 80, host: 8080 }, { inside: 443, host: 8443 }], packages: ['requests', 'flask'], accel: 'kvm', wheelhouse: '/w' },
      '/d',
    );

  it("turn off Vagrant's version check: VAGRANT_CHECKPOINT_DISABLE needs a non-empty value", () => {
    expect(envOf().VAGRANT_CHECKPOINT_DISABLE).toBeTruthy();
  });

  it('list the packages as separate words, the way pip install takes them in the provisioner', () => {
    expect(envOf().ISOBENCH_PACKAGES!.split(/\s+/)).toEqual(['requests', 'flask']);
  });

  it('give every published port as the Vagrantfile reads them: inside:host pairs split on commas', () => {
    // The Vagrantfile: ENV.fetch('ISOBENCH_PUBLISH', '').split(',').map { |p| p.split(':').map(&:to_i) }
    const pairs = envOf().ISOBENCH_PUBLISH!.split(',').map((p) => p.split(':').map(Number));
    expect(pairs).toEqual([[80, 8080], [443, 8443]]);
  });
});

describe('vagrant destroy', () => {
  it('is forced: it must not stop at the yes/no question with no one to answer it', () => {
    expect(destroyArgv()).toEqual(['vagrant', 'destroy', '-f']);
  });
});

describe('parseSshConfig', () => {
  const lines = {
    host: 'Host isobench-vagrant',
    hostName: '  HostName 192.168.121.7',
    user: '  User vagrant',
    port: '  Port 22',
    identity: '  IdentityFile /root/.vagrant.d/insecure_private_key',
  };
  const without = (key: keyof typeof lines, instead?: string) =>
    Object.entries(lines).map(([k, l]) => (k === key ? instead ?? '' : l)).join('\n') + '\n';

  it('reads a complete config', () => {
    expect(parseSshConfig(without('port', '  Port 2222'))).toEqual({ hostName: '192.168.121.7', user: 'vagrant', port: 2222, identityFile: '/root/.vagrant.d/insecure_private_key' });
  });

  it('unquotes an IdentityFile vagrant quoted (a path with a space), and keeps a bare one as written, quotes inside and all', () => {
    // vagrant's ssh_config template writes IdentityFile "<path>" when the path has a space, else the bare path.
    expect(parseSshConfig(without('identity', '  IdentityFile "/home/a b/key"')).identityFile).toBe('/home/a b/key');
    expect(parseSshConfig(without('identity', '  IdentityFile /home/ab/"key"')).identityFile).toBe('/home/ab/"key"');
  });

  it('refuses a config missing any one of Host, HostName, User, Port or IdentityFile', () => {
    for (const key of Object.keys(lines) as (keyof typeof lines)[]) expect(() => parseSshConfig(without(key))).toThrow(/no usable/);
  });

  it('refuses a port that is not a whole number', () => {
    expect(() => parseSshConfig(without('port', '  Port twenty-two'))).toThrow(/no usable/);
    expect(() => parseSshConfig(without('port', '  Port 22.5'))).toThrow(/no usable/);
  });

  it('refuses the config of another Host alias than the one ssh is told to use', () => {
    expect(() => parseSshConfig(without('host', 'Host default'))).toThrow(/no usable/);
    expect(() => parseSshConfig(without('host', 'Host isobench-vagrant-2'))).toThrow(/no usable/);
  });

  it('quotes the output it could not use trimmed and cut to 300 characters', () => {
    const junk = `\n  ${'x'.repeat(1000)}  \n`;
    let message = '';
    try {
      parseSshConfig(junk);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`: "${'x'.repeat(300)}"`);
    expect(message).not.toContain('x'.repeat(301));
  });
});

describe('parseMachineReadable', () => {
  it('reads a line of timestamp, target and type with no data', () => {
    expect(parseMachineReadable('1700000000,default,action')).toEqual({ timestamp: 1700000000, target: 'default', type: 'action', data: [] });
  });

  it('refuses lines of fewer than three fields', () => {
    expect(parseMachineReadable('1700000000,default')).toBeUndefined();
    expect(parseMachineReadable('1700000000')).toBeUndefined();
  });

  it('refuses a line whose first field is not a whole-number timestamp, even with enough fields', () => {
    expect(parseMachineReadable('==> default: booting,a,b,c')).toBeUndefined();
    expect(parseMachineReadable('x1700000000,default,ui,info,hi')).toBeUndefined();
    expect(parseMachineReadable('1700000000x,default,ui,info,hi')).toBeUndefined();
  });

  it("turns vagrant's escaped \\n and \\r back into line breaks", () => {
    expect(parseMachineReadable('1,default,ui,info,line one\\nline two\\r\\n')!.data).toEqual(['info', 'line one\nline two\r\n']);
  });
});

describe('upPhase', () => {
  it('marks no phase for other lines', () => {
    expect(upPhase(parseMachineReadable('1700000000,default,ui,info,==> default: Creating image (snapshot of base box volume).')!)).toBeUndefined();
    expect(upPhase({ timestamp: 1, target: 'default', type: 'ui', data: [] })).toBeUndefined();
  });
});

describe('READY_PROBE and parseReadyProbe', () => {
  it('asks, in the order the parser reads them, for the uptime, systemd start and multi-user.target', () => {
    const commands = READY_PROBE.split(';').map((c) => c.trim());
    expect(commands).toEqual([
      'cat /proc/uptime',
      'systemctl show -P UserspaceTimestampMonotonic',
      'systemctl show -P ActiveEnterTimestampMonotonic multi-user.target',
    ]);
  });

  it('reads the clocks after blank lines before the output', () => {
    expect(parseReadyProbe('\n\n71.52 120.3\n3125000\n41250000\n')).toEqual({ uptimeS: 71.52, userspaceS: 3.125, multiUserS: 41.25 });
  });

  it('refuses output where any one clock is missing, zero or not finite', () => {
    // systemd says 0 for a target not reached yet.
    expect(() => parseReadyProbe('71.52 120.3\n3125000\n0\n')).toThrow(/unexpected guest clocks/);
    expect(() => parseReadyProbe('71.52 120.3\n3125000\n')).toThrow(/unexpected guest clocks/);
    expect(() => parseReadyProbe('71.52 120.3\nInfinity\n41250000\n')).toThrow(/unexpected guest clocks/);
    expect(() => parseReadyProbe('0 0\n3125000\n41250000\n')).toThrow(/unexpected guest clocks/);
    expect(() => parseReadyProbe('71.52 120.3\n-5\n41250000\n')).toThrow(/unexpected guest clocks/);
  });

  it('quotes the output it could not use without its surrounding blank space', () => {
    expect(() => parseReadyProbe('sh: systemctl: not found\n')).toThrow(/ "sh: systemctl: not found"$/);
  });
});
