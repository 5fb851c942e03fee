// Pure builders for the Vagrant backend: the Vagrantfile's variables, vagrant argv, output parsing.
import type { Accel, Publish } from './qemu-args.js';
import type { VmConfig } from './config.js';
// The Vagrantfile's provisioner makes its venv at the QEMU guests' path (GUEST_VENV): one argv mapping for both.
import { guestArgv } from './guest-init.js';
import { guestProfile } from './profiles.js';

export interface VagrantMachine {
  /** Machine name, carries the run id: isobench-<runId>-<instance>. */
  name: string;
  publish: Publish[];
  packages: string[];
  accel: Accel;
  /** A QEMU wrapper for libvirt's emulator_path (TCG tb-size), if any. */
  emulator?: string;
  /** The folder of wheels the file provisioner copies in. */
  wheelhouse: string;
}

/** The ISOBENCH_* variables the Vagrantfile template reads, plus VAGRANT_CWD (the machine's folder). */
export function vagrantEnv(vm: VmConfig, m: VagrantMachine, dir: string): Record<string, string> {
  const full = guestProfile('full', vm);
  return {
    VAGRANT_CWD: dir,
    VAGRANT_CHECKPOINT_DISABLE: '1',
    ISOBENCH_BOX: vm.vagrant.box,
    ISOBENCH_NAME: m.name,
    ISOBENCH_MEMORY_MIB: String(full.memoryMiB),
    ISOBENCH_CPUS: String(full.cpus),
    ISOBENCH_LIBVIRT_DRIVER: m.accel === 'kvm' ? 'kvm' : 'qemu',
    ISOBENCH_PACKAGES: m.packages.join(' '),
    ISOBENCH_PUBLISH: m.publish.map((p) => `${p.inside}:${p.host}`).join(','),
    ISOBENCH_WHEELHOUSE: m.wheelhouse,
    ...(m.emulator ? { ISOBENCH_EMULATOR: m.emulator } : {}),
  };
}

/** `vagrant up` with machine-readable output for the configured provider. */
export function upArgv(provider: VmConfig['vagrant']['provider']): string[] {
  return ['vagrant', 'up', '--machine-readable', '--provider', provider];
}

/** `vagrant destroy -f` (idempotent: a machine never created is "not created", exit 0). */
export function destroyArgv(): string[] {
  return ['vagrant', 'destroy', '-f'];
}

/** Quotes one word for a POSIX shell. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * `vagrant ssh -c` takes one shell string: the argv is quoted word by word (never interpolated),
 * env is set with `env`, and argv[0] 'python' is the guest venv's interpreter.
 */
export function sshArgv(argv: string[], env: Record<string, string> = {}): string[] {
  const words = guestArgv(argv);
  const assigns = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const cmd = (assigns.length ? ['env', ...assigns, ...words] : words).map(shellQuote).join(' ');
  return ['vagrant', 'ssh', '-c', cmd, '--', '-q'];
}

export interface MachineReadableLine {
  timestamp: number;
  target: string;
  type: string;
  data: string[];
}

/** Parses one `--machine-readable` line (timestamp,target,type,data…; commas in data escaped as %!(VAGRANT_COMMA)). */
export function parseMachineReadable(line: string): MachineReadableLine | undefined {
  const parts = line.split(',');
  if (parts.length < 3 || !/^\d+$/.test(parts[0]!)) return undefined;
  const unescape = (s: string) => s.replace(/%!\(VAGRANT_COMMA\)/g, ',').replace(/\\n/g, '\n').replace(/\\r/g, '\r');
  return { timestamp: Number(parts[0]), target: parts[1]!, type: parts[2]!, data: parts.slice(3).map(unescape) };
}

/** The boot phase a `vagrant up` output line marks, if any. */
export function upPhase(line: MachineReadableLine): 'booted' | 'provisioning' | undefined {
  const text = line.data.join(',');
  if (/Machine booted and ready/.test(text)) return 'booted';
  if (/Running provisioner/.test(text)) return 'provisioning';
  return undefined;
}

/** The first `vagrant ssh` after up: the guest's uptime, when systemd started in the root and when multi-user.target was reached. */
export const READY_PROBE =
  'cat /proc/uptime; systemctl show -P UserspaceTimestampMonotonic; systemctl show -P ActiveEnterTimestampMonotonic multi-user.target';

/** Seconds since the guest's clock zero: now (uptime), systemd's start, multi-user.target reached. */
export function parseReadyProbe(out: string): { uptimeS: number; userspaceS: number; multiUserS: number } {
  const [uptime, userspace, multiUser] = out.trim().split('\n').map((l) => l.trim());
  const r = { uptimeS: Number(uptime?.split(/\s+/)[0]), userspaceS: Number(userspace) / 1e6, multiUserS: Number(multiUser) / 1e6 };
  if (!Object.values(r).every((v) => Number.isFinite(v) && v > 0)) throw new Error(`vagrant ssh readiness: unexpected guest clocks ${JSON.stringify(out.trim())}`);
  return r;
}
