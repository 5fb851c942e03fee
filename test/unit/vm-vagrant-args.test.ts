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
    const vm = vmConfig.parse({ memoryMiB: 1024, vagrant: { provider: 'libvirt' } });
    const env = vagrantEnv(vm, { name: 'isobench-r-vm-vagrant-1', publish: [{ inside: 80, host: 8080 }], packages: ['requests'], accel: 'tcg' }, '/w/m1');
    expect(env).toMatchObject({
      VAGRANT_CWD: '/w/m1',
      ISOBENCH_NAME: 'isobench-r-vm-vagrant-1',
      ISOBENCH_MEMORY_MIB: '1024',
      ISOBENCH_LIBVIRT_DRIVER: 'qemu',
      ISOBENCH_PUBLISH: '80:8080',
      ISOBENCH_BOX: 'debian/bookworm64',
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
