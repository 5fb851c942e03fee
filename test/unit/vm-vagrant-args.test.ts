// Pure builders of the Vagrant backend.
import { describe, expect, it } from 'vitest';
import { vmConfig } from '../../src/drivers/vm/config.js';
import { asRootRefused, haltArgv, parseMachineReadable, parseSshConfig, plainSshArgv, provisionArgv, shellQuote, sshArgv, sshConfigArgv, sshExitArgv, sshMasterArgv, upArgv, upPhase, vagrantEnv } from '../../src/drivers/vm/vagrant-args.js';
import { guestUsedBytes } from '../../src/drivers/vm/vm-metrics.js';

describe('vagrant argv', () => {
  it('brings machines up machine-readably with the configured provider, provisioning only when asked', () => {
    expect(upArgv('libvirt', false)).toEqual(['vagrant', 'up', '--machine-readable', '--provider', 'libvirt', '--no-provision']);
    expect(upArgv('libvirt', true)).toEqual(['vagrant', 'up', '--machine-readable', '--provider', 'libvirt', '--provision']);
    expect(provisionArgv()).toEqual(['vagrant', 'provision', '--machine-readable']);
    expect(haltArgv()).toEqual(['vagrant', 'halt', '--machine-readable']);
  });

  it('reads vagrant ssh-config once and runs commands over plain ssh on one master connection', () => {
    expect(sshConfigArgv()).toEqual(['vagrant', 'ssh-config', '--host', 'isobench-vagrant']);
    const cfg = 'Host isobench-vagrant\n  HostName 192.168.121.7\n  User vagrant\n  Port 22\n  UserKnownHostsFile /dev/null\n  StrictHostKeyChecking no\n  IdentityFile "/root/.vagrant.d/insecure_private_key"\n  IdentitiesOnly yes\n';
    expect(parseSshConfig(cfg)).toEqual({ hostName: '192.168.121.7', user: 'vagrant', port: 22, identityFile: '/root/.vagrant.d/insecure_private_key' });
    expect(() => parseSshConfig('Host isobench-vagrant\n  User vagrant\n')).toThrow(/no usable Host\/HostName/);
    expect(() => parseSshConfig('')).toThrow(/vagrant ssh-config/);
    const link = { configFile: '/m/ssh-config', controlPath: '/t/s/master' };
    const base = ['ssh', '-F', '/m/ssh-config', '-o', 'ControlPath=/t/s/master', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=20'];
    expect(sshMasterArgv(link)).toEqual([...base, '-o', 'ControlMaster=yes', '-o', 'ControlPersist=yes', '-f', '-N', 'isobench-vagrant']);
    expect(sshExitArgv(link)).toEqual([...base, '-O', 'exit', 'isobench-vagrant']);
    // The remote shell's one string: each word quoted, python mapped to the venv's, env through `env`.
    expect(plainSshArgv(link, ['python', '-c', "print('a b')"], { A: 'x y' })).toEqual([
      ...base, '-o', 'ControlMaster=no', '-q', 'isobench-vagrant', '--', `env 'A=x y' /opt/isobench/venv/bin/python -c 'print('\\''a b'\\'')'`,
    ]);
  });

  it('runs a command as root in the box through sudo -n, before env and the venv\'s python', () => {
    const link = { configFile: '/m/ssh-config', controlPath: '/t/s/master' };
    expect(plainSshArgv(link, ['python', '-c', 'print(1)'], { A: 'x' }, true).at(-1)).toBe("sudo -n -- env A=x /opt/isobench/venv/bin/python -c 'print(1)'");
    expect(plainSshArgv(link, ['id', '-u'], {}, true).at(-1)).toBe('sudo -n -- id -u');
    expect(plainSshArgv(link, ['id', '-u']).at(-1)).toBe('id -u');
  });

  it('says that sudo refused when a command to run as root failed in sudo itself', () => {
    const refused = asRootRefused(true, 1, 'sudo: a password is required\n');
    expect(refused).toBe('cannot run as root in the box (sudo -n refused): sudo: a password is required');
    expect(asRootRefused(true, 1, 'Traceback: sudo: in a message\n')).toBe('Traceback: sudo: in a message\n');
    expect(asRootRefused(undefined, 1, 'sudo: a password is required')).toBe('sudo: a password is required');
    expect(asRootRefused(true, 0, 'sudo: warning')).toBe('sudo: warning');
  });

  it('quotes every argv word for vagrant ssh -c, never interpolating', () => {
    expect(shellQuote('plain-word_1.2')).toBe('plain-word_1.2');
    expect(shellQuote("it's $HOME; rm -rf /")).toBe("'it'\\''s $HOME; rm -rf /'");
    expect(sshArgv(['python', '-c', 'print(1)'])).toEqual(['vagrant', 'ssh', '-c', "/opt/isobench/venv/bin/python -c 'print(1)'", '--', '-q']);
    expect(sshArgv(['printenv', 'A'], { A: 'x y' })[3]).toBe("env 'A=x y' printenv A");
  });

  it('passes the machine settings to the Vagrantfile template', () => {
    const vm = vmConfig.parse({ profiles: { full: { memoryMiB: 1024 } }, vagrant: { provider: 'libvirt' } });
    const env = vagrantEnv(vm, { name: 'isobench-r-vm-vagrant-1', publish: [{ inside: 80, host: 8080 }], packages: ['requests'], accel: 'tcg', wheelhouse: '/c/wh', emulator: '/t/qemu-tcg-tb128' }, '/w/m1');
    expect(env).toMatchObject({
      VAGRANT_CWD: '/w/m1',
      ISOBENCH_NAME: 'isobench-r-vm-vagrant-1',
      ISOBENCH_MEMORY_MIB: '1024',
      ISOBENCH_LIBVIRT_DRIVER: 'qemu',
      ISOBENCH_PUBLISH: '80:8080',
      ISOBENCH_BOX: 'isobench/bookworm-full',
      ISOBENCH_WHEELHOUSE: '/c/wh',
      ISOBENCH_EMULATOR: '/t/qemu-tcg-tb128',
    });
  });
});

describe('machine-readable output', () => {
  it('parses lines, unescapes commas and finds the boot phases', () => {
    const line = parseMachineReadable('1700000000,default,ui,info,Machine booted and ready!')!;
    expect(line).toMatchObject({ timestamp: 1700000000, target: 'default', type: 'ui' });
    expect(upPhase(line)).toBe('booted');
    expect(upPhase(parseMachineReadable('1700000001,default,ui,info,==> default: Running provisioner: isobench-venv (shell)...')!)).toBe('provisioning');
    expect(parseMachineReadable('1,,error-exit,Err,a%!(VAGRANT_COMMA) b')!.data).toEqual(['Err', 'a, b']);
    expect(parseMachineReadable('not machine readable')).toBeUndefined();
  });
});

describe('guestUsedBytes', () => {
  it('is MemTotal - MemAvailable', () => {
    const stdout = 'MemTotal:  466396 kB\nMemFree:  398300 kB\nMemAvailable:  426204 kB\n';
    expect(guestUsedBytes({ exitCode: 0, stdout, stderr: '', durationMs: 1, timedOut: false })).toBe((466396 - 426204) * 1024);
    expect(() => guestUsedBytes({ exitCode: 1, stdout: '', stderr: 'gone', durationMs: 1, timedOut: false })).toThrow(/MemTotal/);
  });
});

describe('the Vagrant box and libvirt', () => {
  it('packs a libvirt box: metadata, the qcow2 and a Vagrantfile, as a plain tar', async () => {
    const { boxMetadata, boxTarArgv, VAGRANT_SUDOERS } = await import('../../src/drivers/vm/vagrant-box.js');
    expect(JSON.parse(boxMetadata(8))).toEqual({ provider: 'libvirt', format: 'qcow2', virtual_size: 8 });
    expect(boxTarArgv('/b', '/c/x.box')).toEqual(['tar', '-cf', '/c/x.box', '-C', '/b', 'metadata.json', 'Vagrantfile', 'box.img']);
    expect(VAGRANT_SUDOERS).toBe('vagrant ALL=(ALL) NOPASSWD:ALL\n');
  });

  it('adds, lists and removes the box by name, and knows its volume in the pool', async () => {
    const { boxAddArgv, boxListed, boxRemoveArgv, boxVolumePrefix } = await import('../../src/drivers/vm/vagrant-libvirt.js');
    expect(boxAddArgv('isobench/bookworm-full', '/c/x.box', 'libvirt')).toEqual(['vagrant', 'box', 'add', '--force', '--name', 'isobench/bookworm-full', '--provider', 'libvirt', '/c/x.box']);
    expect(boxRemoveArgv('isobench/bookworm-full', 'libvirt')).toEqual(['vagrant', 'box', 'remove', '--force', '--all', '--provider', 'libvirt', 'isobench/bookworm-full']);
    expect(boxListed('1,,box-name,isobench/bookworm-full\n1,,box-provider,libvirt', 'isobench/bookworm-full')).toBe(true);
    expect(boxListed('1,,box-name,isobench/bookworm-full-2', 'isobench/bookworm-full')).toBe(false);
    expect(boxVolumePrefix('isobench/bookworm-full')).toBe('isobench-VAGRANTSLASH-bookworm-full_vagrant_box_image_');
  });

  it('wraps QEMU so that libvirt\'s -accel tcg gets a tb-size, leaving every other word alone', async () => {
    const { tcgWrapperScript } = await import('../../src/drivers/vm/vagrant-libvirt.js');
    const script = tcgWrapperScript('/usr/bin/qemu-system-x86_64', 128);
    expect(script).toMatch(/^#!\/bin\/sh\n/);
    expect(script).toContain('[ "$a" = tcg ] && a="tcg,tb-size=128"');
    expect(script).toMatch(/exec \/usr\/bin\/qemu-system-x86_64 "\$@"\n$/);
  });

  it('reads the guest clocks of the first vagrant ssh, and refuses garbage', async () => {
    const { parseReadyProbe } = await import('../../src/drivers/vm/vagrant-args.js');
    expect(parseReadyProbe('71.52 120.3\n3125000\n41250000\n')).toEqual({ uptimeS: 71.52, userspaceS: 3.125, multiUserS: 41.25 });
    expect(() => parseReadyProbe('sh: systemctl: not found\n')).toThrow(/unexpected guest clocks/);
  });

  it('builds the VirtualBox provider\'s argv and variables the same way', () => {
    expect(upArgv('virtualbox', false)).toEqual(['vagrant', 'up', '--machine-readable', '--provider', 'virtualbox', '--no-provision']);
    const vm = vmConfig.parse({ vagrant: { provider: 'virtualbox' } });
    const env = vagrantEnv(vm, { name: 'n', publish: [], packages: ['requests'], accel: 'kvm', wheelhouse: '/w' }, '/d');
    expect(env).toMatchObject({ ISOBENCH_MEMORY_MIB: '2048', ISOBENCH_CPUS: '2', ISOBENCH_LIBVIRT_DRIVER: 'kvm' });
    expect(env).not.toHaveProperty('ISOBENCH_EMULATOR');
  });
});

describe('guestArgv (Vagrant)', () => {
  it('runs a leading python as the provisioned venv\'s, and leaves other commands alone', async () => {
    const { guestArgv } = await import('../../src/drivers/vm/guest-init.js');
    expect(guestArgv(['python', '-c', 'print(1)'])).toEqual(['/opt/isobench/venv/bin/python', '-c', 'print(1)']);
    expect(guestArgv(['sh', '-c', 'true'])).toEqual(['sh', '-c', 'true']);
  });
});

describe('vagrant-libvirt port forwards', () => {
  const TCP = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 0100007F:49C6 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 424242 1 0000000000000000 100 0 0 10 0',
    '   1: 00000000:49C6 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 434343 1 0000000000000000 100 0 0 10 0',
    '   2: 0100007F:49C6 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 444444 1 0000000000000000 20 4 30 10 -1',
    '   3: 0100007F:49C5 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 454545 1 0000000000000000 100 0 0 10 0',
  ].join('\n');

  it('finds the listening sockets of one port in /proc/net/tcp, not its connections or other ports', async () => {
    const { listeningInodes } = await import('../../src/drivers/vm/vagrant-libvirt.js');
    expect(listeningInodes(TCP, 0x49c6)).toEqual(['424242', '434343']);
    expect(listeningInodes(TCP, 0x49c5)).toEqual(['454545']);
    expect(listeningInodes(TCP, 80)).toEqual([]);
    expect(listeningInodes('', 80)).toEqual([]);
  });

  it("names the forward's pid file and log the way vagrant-libvirt writes them in the machine's folder", async () => {
    const { forwardFiles } = await import('../../src/drivers/vm/vagrant-libvirt.js');
    expect(forwardFiles('/m', 18766)).toEqual({
      pidFile: '/m/.vagrant/machines/default/libvirt/pids/ssh_18766.pid',
      logDir: '/m/.vagrant/machines/default/libvirt/logs',
      logPrefix: 'ssh-forwarding-127.0.0.1_18766-',
    });
  });
});

describe("libvirt's QEMU user and /dev/kvm", () => {
  it('decides read-write access by owner, then group, then others', async () => {
    const { deviceReadWritable } = await import('../../src/drivers/vm/vagrant-libvirt.js');
    const rootOnly = { mode: 0o20600, uid: 0, gid: 0 };
    const kvmGroup = { mode: 0o20660, uid: 0, gid: 109 };
    expect(deviceReadWritable(rootOnly, 64055, [109, 64055])).toBe(false);
    expect(deviceReadWritable(kvmGroup, 64055, [109, 64055])).toBe(true);
    expect(deviceReadWritable(kvmGroup, 1000, [1000])).toBe(false);
    expect(deviceReadWritable({ mode: 0o20666, uid: 0, gid: 0 }, 1000, [1000])).toBe(true);
    expect(deviceReadWritable(rootOnly, 0, [0])).toBe(true);
    // The owner's bits decide for the owner, even when the group's would allow.
    expect(deviceReadWritable({ mode: 0o20060, uid: 64055, gid: 109 }, 64055, [109])).toBe(false);
  });

  it("reads qemu.conf's user, Debian's libvirt-qemu when it is commented out or unset", async () => {
    const { libvirtQemuUser } = await import('../../src/drivers/vm/vagrant-libvirt.js');
    expect(libvirtQemuUser('#user = "qemu"\n')).toBe('libvirt-qemu');
    expect(libvirtQemuUser('')).toBe('libvirt-qemu');
    expect(libvirtQemuUser('# comment\nuser = "qemu"\ngroup = "qemu"\n')).toBe('qemu');
  });
});
