// Pure builders of the Vagrant backend.
import { describe, expect, it } from 'vitest';
import { vmConfig } from '../../src/drivers/vm/config.js';
import { parseMachineReadable, shellQuote, sshArgv, upArgv, upPhase, vagrantEnv } from '../../src/drivers/vm/vagrant-args.js';
import { guestUsedBytes } from '../../src/drivers/vm/vm-metrics.js';

describe('vagrant argv', () => {
  it('brings machines up machine-readably with the configured provider', () => {
    expect(upArgv('libvirt')).toEqual(['vagrant', 'up', '--machine-readable', '--provider', 'libvirt']);
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
    expect(upArgv('virtualbox')).toEqual(['vagrant', 'up', '--machine-readable', '--provider', 'virtualbox']);
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
