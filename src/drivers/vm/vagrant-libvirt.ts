// What the Vagrant row needs from libvirt: the box in Vagrant and its volume in libvirt's pool, a QEMU
// wrapper passing TCG's tb-size (vagrant-libvirt cannot), and the QEMU process and disk of a machine.
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
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
  await writeFile(file, tcgWrapperScript(qemu, tbSizeMiB), { mode: 0o755 });
  await chmod(file, 0o755);
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
