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

/**
 * `vagrant up` with machine-readable output for the configured provider: `provision` false boots without
 * the provisioners (a new machine from the box before install, or an already provisioned machine's restart).
 */
export function upArgv(provider: VmConfig['vagrant']['provider'], provision: boolean): string[] {
  return ['vagrant', 'up', '--machine-readable', '--provider', provider, provision ? '--provision' : '--no-provision'];
}

/** `vagrant provision`: runs the Vagrantfile's provisioners on the running machine (the install step). */
export function provisionArgv(): string[] {
  return ['vagrant', 'provision', '--machine-readable'];
}

/** `vagrant halt`: a clean shutdown, the machine and its disk kept for the next `vagrant up`. */
export function haltArgv(): string[] {
  return ['vagrant', 'halt', '--machine-readable'];
}

/** `vagrant ssh-config`: the ssh options of the machine, read once per machine. */
export function sshConfigArgv(): string[] {
  return ['vagrant', 'ssh-config', '--host', SSH_HOST];
}

/** The Host alias `vagrant ssh-config --host` writes and the plain ssh commands name. */
export const SSH_HOST = 'isobench-vagrant';

/** The options of `vagrant ssh-config` plain ssh needs; throws naming what is missing. */
export function parseSshConfig(text: string): { hostName: string; user: string; port: number; identityFile: string } {
  const get = (key: string) => new RegExp(`^\\s*${key}\\s+(.+?)\\s*$`, 'mi').exec(text)?.[1]?.replace(/^"(.*)"$/, '$1');
  const hostName = get('HostName');
  const user = get('User');
  const port = Number(get('Port'));
  const identityFile = get('IdentityFile');
  if (!new RegExp(`^Host ${SSH_HOST}$`, 'm').test(text) || !hostName || !user || !Number.isInteger(port) || !identityFile) {
    throw new Error(`vagrant ssh-config gave no usable Host/HostName/User/Port/IdentityFile: ${JSON.stringify(text.trim().slice(0, 300))}`);
  }
  return { hostName, user, port, identityFile };
}

/** Where plain ssh keeps the machine's connection (ControlPath; short: a unix socket path is at most 108 bytes). */
export interface SshLink {
  /** The file `vagrant ssh-config` wrote (ssh -F). */
  configFile: string;
  /** The master connection's socket. */
  controlPath: string;
}

const sshBase = (link: SshLink) => ['ssh', '-F', link.configFile, '-o', `ControlPath=${link.controlPath}`, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=20'];

/** Opens the machine's master connection in the background (-f after authentication, -N no command). */
export function sshMasterArgv(link: SshLink): string[] {
  return [...sshBase(link), '-o', 'ControlMaster=yes', '-o', 'ControlPersist=yes', '-f', '-N', SSH_HOST];
}

/** Closes the master connection (its ssh process exits). */
export function sshExitArgv(link: SshLink): string[] {
  return [...sshBase(link), '-O', 'exit', SSH_HOST];
}

/**
 * One command over the master connection: plain ssh with the options `vagrant ssh-config` gave (no Ruby
 * started per command). The remote shell gets one string, quoted word by word; argv[0] 'python' is the venv's.
 */
export function plainSshArgv(link: SshLink, argv: string[], env: Record<string, string> = {}, asRoot = false): string[] {
  return [...sshBase(link), '-o', 'ControlMaster=no', '-q', SSH_HOST, '--', remoteCommand(argv, env, asRoot)];
}

/** What runs a command as root in the box: its user's passwordless sudo, never asking (-n), before `env`. */
export const AS_ROOT = ['sudo', '-n', '--'];

/** Pure: stderr, prefixed with what failed when the command was to run as root and sudo itself refused (it says "sudo: …"). */
export function asRootRefused(asRoot: boolean | undefined, exitCode: number, stderr: string): string {
  return asRoot && exitCode !== 0 && /^sudo: /m.test(stderr) ? `cannot run as root in the box (sudo -n refused): ${stderr.trim()}` : stderr;
}

/** The remote shell's string for argv (each word quoted, never interpolated; env set with `env`; asRoot: through sudo -n). */
function remoteCommand(argv: string[], env: Record<string, string>, asRoot = false): string {
  const words = guestArgv(argv);
  const assigns = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return [...(asRoot ? AS_ROOT : []), ...(assigns.length ? ['env', ...assigns, ...words] : words)].map(shellQuote).join(' ');
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
 * The document's way in, `vagrant ssh -c` (Ruby and Vagrant start per command): one shell string, quoted
 * word by word (never interpolated); env is set with `env`; argv[0] 'python' is the guest venv's interpreter.
 */
export function sshArgv(argv: string[], env: Record<string, string> = {}): string[] {
  return ['vagrant', 'ssh', '-c', remoteCommand(argv, env), '--', '-q'];
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
