// Pure QEMU and kernel command-line builders of the vm driver.
import { describe, expect, it } from 'vitest';
import { hostfwd, kernelCmdline, qemuArgv, type QemuSpec } from '../../src/drivers/vm/qemu-args.js';
import { guestArgv } from '../../src/drivers/vm/guest-init.js';
import { isobenchQemuName } from '../../src/drivers/vm/orphans.js';

const spec: QemuSpec = {
  name: 'isobench-run1-vm-qemu-1',
  accel: 'tcg',
  memoryMiB: 512,
  cpus: 1,
  kernel: { kernel: '/c/vmlinuz', initrd: '/c/initrd.img', cmdline: 'console=ttyS0' },
  disk: '/w/a,b/overlay.qcow2',
  qmpSocket: '/w/qmp.sock',
  agentSocket: '/w/agent.sock',
  consoleLog: '/w/console.log',
  publish: [{ inside: 8000, host: 18001 }],
};

const after = (argv: string[], flag: string) => argv.filter((_, i) => argv[i - 1] === flag);

describe('qemuArgv', () => {
  it('has no default devices or display, the run name, memory, cpus and the accelerator', () => {
    const argv = qemuArgv(spec);
    expect(argv[0]).toBe('qemu-system-x86_64');
    expect(argv).toEqual(expect.arrayContaining(['-nodefaults', '-display', 'none', '-no-reboot']));
    expect(after(argv, '-name')).toEqual(['isobench-run1-vm-qemu-1']);
    expect(after(argv, '-m')).toEqual(['512']);
    expect(after(argv, '-smp')).toEqual(['1']);
    expect(after(argv, '-machine')).toEqual(['pc']);
    expect(after(argv, '-accel')).toEqual(['tcg']);
    expect(after(argv, '-cpu')).toEqual(['max']);
    expect(after(qemuArgv({ ...spec, accel: 'kvm' }), '-cpu')).toEqual(['host']);
  });

  it('sizes TCG\'s translation cache when asked, and never passes tb-size to KVM', () => {
    expect(after(qemuArgv({ ...spec, tcgTbSizeMiB: 128 }), '-accel')).toEqual(['tcg,tb-size=128']);
    expect(after(qemuArgv({ ...spec, tcgTbSizeMiB: 0 }), '-accel')).toEqual(['tcg']);
    expect(after(qemuArgv({ ...spec, accel: 'kvm', tcgTbSizeMiB: 128 }), '-accel')).toEqual(['kvm']);
  });

  it('boots a disk through the firmware when no kernel is given', () => {
    const argv = qemuArgv({ ...spec, kernel: undefined });
    for (const flag of ['-kernel', '-initrd', '-append']) expect(argv).not.toContain(flag);
    expect(after(argv, '-drive')[0]).toMatch(/^file=.*overlay\.qcow2,format=qcow2,if=virtio$/);
  });

  it('boots the kernel directly and escapes commas in file names', () => {
    const argv = qemuArgv(spec);
    expect(after(argv, '-kernel')).toEqual(['/c/vmlinuz']);
    expect(after(argv, '-initrd')).toEqual(['/c/initrd.img']);
    expect(after(argv, '-append')).toEqual(['console=ttyS0']);
    expect(after(argv, '-drive')).toEqual(['file=/w/a,,b/overlay.qcow2,format=qcow2,if=virtio']);
  });

  it('boots a cloud image from firmware + disk: no kernel, the overlay first, the NoCloud seed read-only, the same agent port', () => {
    const disk = qemuArgv({ ...spec, kernel: undefined, disk: '/w/overlay.qcow2', seedIso: '/w/a,b/seed.iso' });
    for (const flag of ['-kernel', '-initrd', '-append']) expect(disk).not.toContain(flag);
    expect(after(disk, '-drive')).toEqual([
      'file=/w/overlay.qcow2,format=qcow2,if=virtio',
      'file=/w/a,,b/seed.iso,format=raw,if=virtio,readonly=on',
    ]);
    expect(after(disk, '-device')).toContain('virtserialport,bus=vser0.0,chardev=agent,name=org.isobench.agent');
    expect(after(disk, '-serial')).toEqual(['chardev:console']);
    expect(after(disk, '-netdev')).toEqual(['user,id=net0,hostfwd=tcp:127.0.0.1:18001-:8000']);
    // Without a seed ISO no drive is read-only: the check looks inside each -drive value, where readonly=on lives.
    expect(after(qemuArgv(spec), '-drive').filter((d) => d.split(',').includes('readonly=on'))).toEqual([]);
  });

  it('wires serial console, QMP and the agent port to files and unix sockets', () => {
    const argv = qemuArgv(spec);
    expect(after(argv, '-qmp')).toEqual(['unix:/w/qmp.sock,server=on,wait=off']);
    expect(after(argv, '-serial')).toEqual(['chardev:console']);
    expect(after(argv, '-chardev')).toEqual([
      'socket,id=agent,path=/w/agent.sock,server=on,wait=off',
      'file,id=console,path=/w/console.log',
    ]);
    expect(after(argv, '-device')).toContain('virtserialport,bus=vser0.0,chardev=agent,name=org.isobench.agent');
  });

  it('publishes on 127.0.0.1 only', () => {
    expect(hostfwd([{ inside: 80, host: 8080 }, { inside: 22, host: 2222 }])).toBe(
      ',hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=tcp:127.0.0.1:2222-:22',
    );
    expect(after(qemuArgv(spec), '-netdev')).toEqual(['user,id=net0,hostfwd=tcp:127.0.0.1:18001-:8000']);
    expect(after(qemuArgv({ ...spec, publish: [] }), '-netdev')).toEqual(['user,id=net0']);
  });
});

describe('kernelCmdline', () => {
  it('mounts the virtio disk rw, runs the tiny init and carries the run id', () => {
    const words = kernelCmdline('run1').split(' ');
    expect(words).toEqual(expect.arrayContaining(['console=ttyS0', 'root=/dev/vda', 'rw', 'init=/sbin/isobench-init', 'isobench.run=run1']));
  });
});

describe('guest argv and leftover names', () => {
  it('maps python to the guest venv interpreter and leaves other commands alone', () => {
    expect(guestArgv(['python', '-c', 'x'])).toEqual(['/opt/isobench/venv/bin/python', '-c', 'x']);
    expect(guestArgv(['python3', '-V'])).toEqual(['python3', '-V']);
  });

  it('recognises isobench QEMU processes by their -name prefix', () => {
    expect(isobenchQemuName(qemuArgv(spec), 'isobench-run1-')).toBe('isobench-run1-vm-qemu-1');
    expect(isobenchQemuName(qemuArgv(spec), 'isobench-run2-')).toBeUndefined();
    expect(isobenchQemuName(['/usr/bin/python3', '-name', 'isobench-run1-x'], 'isobench-')).toBeUndefined();
  });
});
