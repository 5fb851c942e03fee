// What the Vagrant row needs from libvirt: the box in Vagrant and its volume in libvirt's pool, a QEMU
// wrapper passing TCG's tb-size (vagrant-libvirt cannot), and the QEMU process and disk of a machine.
import { chmod, mkdir, readdir, readFile, readlink, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, runOk } from '../../lifecycle/process.js';
import type { DriverContext } from '../types.js';
import { QEMU_BINARY } from './qemu-args.js';

/** argv of `vagrant box list --machine-readable`, and whether its output lists `name`. */
export const boxListArgv = () => ['vagrant', 'box', 'list', '--machine-readable'];
export const boxListed = (out: string, name: string) => out.split('\n').some((l) => l.endsWith(`,box-name,${name}`));

/** argv adding a box file under `name` (a local file: no registry is asked). */
export function boxAddArgv(name: string, file: string, provider: string): string[] {
  return ['vagrant', 'box', 'add', '--force', '--name', name, '--provider', provider, file];
}

/** argv removing every version of the box `name` for `provider`. */
export function boxRemoveArgv(name: string, provider: string): string[] {
  return ['vagrant', 'box', 'remove', '--force', '--all', '--provider', provider, name];
}

/** vagrant-libvirt's volume name of a box in the pool: <name with / as -VAGRANTSLASH->_vagrant_box_image_<version>_box.img. */
export function boxVolumePrefix(name: string): string {
  return `${name.replace(/\//g, '-VAGRANTSLASH-')}_vagrant_box_image_`;
}

/**
 * The QEMU wrapper vagrant-libvirt starts as emulator_path: the same QEMU, with libvirt's "-accel tcg"
 * given a tb-size, so the translation cache is sized as in the QEMU rows.
 */
export function tcgWrapperScript(qemu: string, tbSizeMiB: number): string {
  return `#!/bin/sh
# isobench: ${qemu} with TCG's translation cache at ${tbSizeMiB} MiB (vagrant-libvirt cannot pass tb-size).
for a do
  shift
  [ "$a" = tcg ] && a="tcg,tb-size=${tbSizeMiB}"
  set -- "$@" "$a"
done
exec ${qemu} "$@"
`;
}

/** Writes the wrapper where libvirt's QEMU user can run it (a world-readable folder in the temp dir); returns its path. */
export async function writeTcgWrapper(tbSizeMiB: number): Promise<string> {
  const qemu = (await runOk(['sh', '-c', `command -v ${QEMU_BINARY}`], { step: 'which qemu', timeoutMs: 10_000 })).stdout.trim();
  const dir = join(tmpdir(), `isobench-libvirt-${process.getuid?.() ?? 0}`);
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
  const file = join(dir, `qemu-tcg-tb${tbSizeMiB}`);
  const script = tcgWrapperScript(qemu, tbSizeMiB);
  // Touched only when it differs (a chmod changes the ctime too): libvirt keys its cached QEMU capabilities by the binary's ctime.
  if ((await readFile(file, 'utf8').catch(() => '')) !== script) await writeFile(file, script, { mode: 0o755 });
  if (((await stat(file)).mode & 0o777) !== 0o755) await chmod(file, 0o755);
  return file;
}

/** The pid of the QEMU process running libvirt domain `domain` (its -name guest=<domain>), or undefined. */
export async function domainQemuPid(domain: string): Promise<number | undefined> {
  for (const d of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(d)) continue;
    const argv = (await readFile(`/proc/${d}/cmdline`, 'utf8').catch(() => '')).split('\0');
    const i = argv.indexOf('-name');
    if (i >= 0 && argv[i + 1]?.split(',').some((p) => p === `guest=${domain}` || p === domain)) return Number(d);
  }
  return undefined;
}

/** The disk files of a libvirt domain (`virsh domblklist`), in order. */
export async function domainDisks(domain: string, ctx: Pick<DriverContext, 'config'>): Promise<string[]> {
  const r = await runOk(['virsh', '--connect', 'qemu:///system', 'domblklist', domain, '--details'], { step: 'virsh domblklist', timeoutMs: ctx.config.timeouts.cleanupSec * 1000 });
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((c) => c[0] === 'file' && c[1] === 'disk' && c[3]?.startsWith('/'))
    .map((c) => c[3]!);
}

/** Removes the box from Vagrant and its volume(s) from libvirt's default pool; what is already gone is fine. */
export async function removeBox(name: string, provider: string, ctx: Pick<DriverContext, 'config'>): Promise<string[]> {
  const removed: string[] = [];
  const timeoutMs = ctx.config.timeouts.cleanupSec * 1000;
  const r = await run(boxRemoveArgv(name, provider), { step: 'vagrant box remove', timeoutMs });
  if (r.exitCode === 0) removed.push(`vagrant box ${name}`);
  const vols = await run(['virsh', '--connect', 'qemu:///system', 'vol-list', 'default'], { step: 'virsh vol-list', timeoutMs });
  for (const vol of vols.stdout.split('\n').map((l) => l.trim().split(/\s+/)[0] ?? '').filter((v) => v.startsWith(boxVolumePrefix(name)))) {
    await runOk(['virsh', '--connect', 'qemu:///system', 'vol-delete', '--pool', 'default', vol], { step: 'virsh vol-delete', timeoutMs });
    removed.push(`libvirt volume ${vol}`);
  }
  return removed;
}

/**
 * Inodes of the TCP sockets listening on `port` in the text of /proc/net/tcp (state 0A), whatever the
 * local address: one process's fd table then says whether it is the listener.
 */
export function listeningInodes(procNetTcp: string, port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return procNetTcp
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length > 9 && f[1]?.split(':')[1] === hexPort && f[3] === '0A')
    .map((f) => f[9]!);
}

/** vagrant-libvirt's files of a forwarded port in a machine's folder: the ssh's pid file and its log folder. */
export function forwardFiles(machineDir: string, hostPort: number): { pidFile: string; logDir: string; logPrefix: string } {
  const data = join(machineDir, '.vagrant', 'machines', 'default', 'libvirt');
  return { pidFile: join(data, 'pids', `ssh_${hostPort}.pid`), logDir: join(data, 'logs'), logPrefix: `ssh-forwarding-127.0.0.1_${hostPort}-` };
}

/** Whether the forward's ssh holds its listening socket, has exited (or is a zombie), or is still connecting. */
async function forwardState(pid: number, hostPort: number): Promise<'listening' | 'exited' | 'pending'> {
  const procStat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  if (!procStat || /^\d+ \(.*\) Z /.test(procStat)) return 'exited';
  const inodes = new Set(listeningInodes(await readFile('/proc/net/tcp', 'utf8').catch(() => ''), hostPort));
  if (!inodes.size) return 'pending';
  for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
    const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
    if (inode && inodes.has(inode)) return 'listening';
  }
  return 'pending';
}

/**
 * vagrant-libvirt forwards a port with an ssh -L it starts in the background after the boot, and
 * `vagrant up` succeeds whether or not that ssh could bind: wait until it listens on 127.0.0.1:hostPort,
 * or throw with its own log when it exited (e.g. "Address already in use").
 */
export async function waitForForward(machineDir: string, hostPort: number, inside: number, timeoutMs: number): Promise<void> {
  const { pidFile, logDir, logPrefix } = forwardFiles(machineDir, hostPort);
  const deadline = performance.now() + timeoutMs;
  const what = `vagrant-libvirt's ssh forward of 127.0.0.1:${hostPort} to the guest's port ${inside}`;
  const log = async () => {
    const name = (await readdir(logDir).catch(() => [] as string[])).find((f) => f.startsWith(logPrefix));
    const text = name ? await readFile(join(logDir, name), 'utf8').catch(() => '') : '';
    return text.trim().split('\n').filter(Boolean).slice(-3).join(' | ') || 'no output';
  };
  for (;;) {
    const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
    const state = pid > 0 ? await forwardState(pid, hostPort) : 'pending';
    if (state === 'listening') return;
    if (state === 'exited') throw new Error(`${what} exited after vagrant up succeeded: ${await log()}`);
    if (performance.now() > deadline) throw new Error(`${what} was not listening ${timeoutMs / 1000} s after vagrant up (${pid > 0 ? `ssh pid ${pid}` : 'no pid file'}): ${await log()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Whether a user (uid, its group ids) may open a device read-write by its mode bits: owner, then group,
 * then others, as the kernel decides for a non-root user.
 */
export function deviceReadWritable(dev: { mode: number; uid: number; gid: number }, uid: number, gids: number[]): boolean {
  if (uid === 0) return true;
  if (dev.uid === uid) return (dev.mode & 0o600) === 0o600;
  if (gids.includes(dev.gid)) return (dev.mode & 0o060) === 0o060;
  return (dev.mode & 0o006) === 0o006;
}

/** libvirt's QEMU user from qemu.conf's `user = "…"` (Debian's default when unset: libvirt-qemu). */
export function libvirtQemuUser(qemuConf: string): string {
  return /^\s*user\s*=\s*"([^"]+)"/m.exec(qemuConf)?.[1] ?? 'libvirt-qemu';
}

/**
 * On a host where /dev/kvm exists but libvirt's QEMU user cannot open it (no udev rule giving it to the kvm
 * group), libvirt's capability cache says "KVM was enabled when probing … but it is not available now" at
 * every lookup and probes QEMU again: about a minute of every `vagrant up` before the guest starts. Returns
 * that, with the fix, or undefined where it does not apply.
 */
export function libvirtKvmProbeLoop(): Promise<string | undefined> {
  // Read once a process: preflight (doctor's fact) and create (the report's note) both ask.
  kvmProbeLoop ??= checkKvmProbeLoop();
  return kvmProbeLoop;
}

let kvmProbeLoop: Promise<string | undefined> | undefined;

async function checkKvmProbeLoop(): Promise<string | undefined> {
  const dev = await stat('/dev/kvm').catch(() => undefined);
  if (!dev) return undefined;
  const user = libvirtQemuUser(await readFile('/etc/libvirt/qemu.conf', 'utf8').catch(() => ''));
  const [u, g] = await Promise.all([run(['id', '-u', user], { step: 'id -u', timeoutMs: 10_000 }), run(['id', '-G', user], { step: 'id -G', timeoutMs: 10_000 })]);
  if (u.exitCode !== 0 || g.exitCode !== 0) return undefined;
  const gids = g.stdout.trim().split(/\s+/).map(Number);
  if (deviceReadWritable({ mode: dev.mode, uid: dev.uid, gid: dev.gid }, Number(u.stdout.trim()), gids)) return undefined;
  const mode = (dev.mode & 0o777).toString(8).padStart(4, '0');
  return `/dev/kvm (mode ${mode}, uid ${dev.uid}, gid ${dev.gid}) cannot be opened by libvirt's QEMU user ${user}: libvirt then finds its cached QEMU capabilities invalid at every lookup and probes QEMU again, a few seconds each, many times per domain start (about 70 s of every vagrant up on a 2-core machine under TCG), and the Vagrant row's times include it; fix: give /dev/kvm to the kvm group as udev does (chgrp kvm /dev/kvm; chmod 660 /dev/kvm)`;
}
