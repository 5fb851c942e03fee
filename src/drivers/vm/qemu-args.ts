// Pure builders of the QEMU command line and the guest kernel's command line.
import { AGENT_PORT_NAME } from './guest-agent.js';
import { INIT_PATH } from './guest-init.js';
import { qemuOptPath } from './qemu-img.js';

export type Accel = 'kvm' | 'tcg';

export interface Publish {
  inside: number;
  host: number;
}

export interface QemuSpec {
  /** -name; carries the run id so that leftovers can be found (`isobench-<runId>-…`). */
  name: string;
  accel: Accel;
  /** TCG only: the translation cache size in MiB (-accel tcg,tb-size=N); 0 keeps QEMU's default. */
  tcgTbSizeMiB?: number;
  memoryMiB: number;
  cpus: number;
  /** Direct kernel boot; absent for a disk that boots through its own bootloader (cloud image). */
  kernel?: { kernel: string; initrd: string; cmdline: string };
  /** The guest's (overlay) disk, qcow2. */
  disk: string;
  /** A cloud-init NoCloud seed ISO, attached as a second virtio disk. */
  seedIso?: string;
  qmpSocket: string;
  agentSocket: string;
  consoleLog: string;
  publish: Publish[];
}

export const QEMU_BINARY = 'qemu-system-x86_64';

/** The hostfwd options publishing `inside` guest ports on 127.0.0.1 host ports only. */
export function hostfwd(publish: Publish[]): string {
  return publish.map((p) => `,hostfwd=tcp:127.0.0.1:${p.host}-:${p.inside}`).join('');
}

/** The -accel value: kvm, or tcg with the translation cache size when one is set. */
export function accelOption(s: Pick<QemuSpec, 'accel' | 'tcgTbSizeMiB'>): string {
  return s.accel === 'tcg' && s.tcgTbSizeMiB ? `tcg,tb-size=${s.tcgTbSizeMiB}` : s.accel;
}

/** The full QEMU argv: no default devices or display, serial console to a file, QMP and agent sockets. */
export function qemuArgv(s: QemuSpec): string[] {
  const argv = [
    QEMU_BINARY,
    '-name', s.name,
    '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot',
    '-machine', 'pc',
    '-accel', accelOption(s),
    '-cpu', s.accel === 'kvm' ? 'host' : 'max',
    '-m', String(s.memoryMiB),
    '-smp', String(s.cpus),
  ];
  if (s.kernel) argv.push('-kernel', s.kernel.kernel, '-initrd', s.kernel.initrd, '-append', s.kernel.cmdline);
  argv.push('-drive', `file=${qemuOptPath(s.disk)},format=qcow2,if=virtio`);
  if (s.seedIso) argv.push('-drive', `file=${qemuOptPath(s.seedIso)},format=raw,if=virtio,readonly=on`);
  argv.push(
    '-netdev', `user,id=net0${hostfwd(s.publish)}`,
    '-device', 'virtio-net-pci,netdev=net0,romfile=',
    '-device', 'virtio-serial-pci,id=vser0',
    '-chardev', `socket,id=agent,path=${qemuOptPath(s.agentSocket)},server=on,wait=off`,
    '-device', `virtserialport,bus=vser0.0,chardev=agent,name=${AGENT_PORT_NAME}`,
    '-chardev', `file,id=console,path=${qemuOptPath(s.consoleLog)}`,
    '-serial', 'chardev:console',
    '-qmp', `unix:${qemuOptPath(s.qmpSocket)},server=on,wait=off`,
  );
  return argv;
}

/** The guest kernel's command line: root on the virtio disk, the tiny init, the run id for the reader. */
export function kernelCmdline(runId: string): string {
  return [
    'console=ttyS0',
    'root=/dev/vda',
    'rootfstype=ext4',
    'rw',
    `init=${INIT_PATH}`,
    'quiet',
    'loglevel=3',
    'panic=-1',
    `isobench.run=${runId}`,
  ].join(' ');
}
