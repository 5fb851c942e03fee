// The QEMU and guest kernel command lines, pinned where the mutation run (npm run mutate) found gaps.
import { describe, expect, it } from 'vitest';
import { kernelCmdline, qemuArgv, type QemuSpec } from '../../src/drivers/vm/qemu-args.js';

const spec: QemuSpec = {
  name: 'isobench-run1-vm-qemu-1',
  accel: 'tcg',
  memoryMiB: 512,
  cpus: 1,
  disk: '/w/overlay.qcow2',
  qmpSocket: '/w/qmp.sock',
  agentSocket: '/w/agent.sock',
  consoleLog: '/w/console.log',
  publish: [],
};
const after = (argv: string[], flag: string) => argv.filter((_, i) => argv[i - 1] === flag);
/** A QEMU option value "driver,key=value,…" as its driver and options. */
const opts = (value: string) => {
  const [driver, ...rest] = value.split(',');
  return { driver, ...Object.fromEntries(rest.map((kv) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)])) } as Record<string, string>;
};

describe('qemuArgv', () => {
  it("reads no QEMU config file of the host's (-no-user-config), so runs do not depend on the machine's setup", () => {
    expect(qemuArgv(spec)).toContain('-no-user-config');
  });

  it('attaches the user network to a virtio NIC that loads no option ROM (no PXE ROM file needed)', () => {
    const argv = qemuArgv(spec);
    const netId = opts(after(argv, '-netdev')[0]!).id;
    const nics = after(argv, '-device').map(opts).filter((d) => d.netdev === netId);
    expect(nics).toEqual([{ driver: 'virtio-net-pci', netdev: netId, romfile: '' }]);
  });

  it("puts the agent's port on a virtio-serial controller the argv itself creates", () => {
    const devices = after(qemuArgv(spec), '-device').map(opts);
    const port = devices.find((d) => d.driver === 'virtserialport')!;
    const controller = port.bus!.replace(/\.0$/, '');
    expect(devices.filter((d) => d.driver === 'virtio-serial-pci' && d.id === controller)).toHaveLength(1);
  });
});

describe('kernelCmdline', () => {
  // Built inside each test, so that the mutation run's per-test coverage sees the call.
  const wordsOf = () => kernelCmdline('run1').split(' ');

  it('names the filesystem the guest image is made with (mkfs.ext4), so the root is not probed for', () => {
    expect(wordsOf()).toContain('rootfstype=ext4');
  });

  it('reboots at once on a panic, which with -no-reboot ends QEMU instead of hanging until the timeout', () => {
    const panic = wordsOf().find((w) => w.startsWith('panic='));
    expect(Number(panic?.slice('panic='.length))).toBeLessThan(0);
    expect(qemuArgv(spec)).toContain('-no-reboot');
  });

  it('keeps the serial console to critical messages: quiet (kernel and initramfs) and a console loglevel of 3 at most', () => {
    expect(wordsOf()).toContain('quiet');
    const level = wordsOf().find((w) => w.startsWith('loglevel='));
    expect(Number(level?.slice('loglevel='.length))).toBeLessThanOrEqual(3);
  });
});
