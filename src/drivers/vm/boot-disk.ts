// The full guest's disk as a real install has it: an MBR partition table, one ext4 partition holding
// the root with /boot, extlinux installed in it and syslinux's MBR code in sector 0.
import { existsSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, runOk } from '../../lifecycle/process.js';
import type { DriverContext } from '../types.js';
import { ROOT_LABEL } from './guest-systemd.js';

/** First sector of the root partition (1 MiB aligned, as installers do). */
export const PARTITION_START_SECTOR = 2048;

/** sfdisk's input for one bootable Linux partition filling the disk after 1 MiB. */
export function sfdiskScript(): string {
  return `label: dos\nstart=${PARTITION_START_SECTOR}, type=83, bootable\n`;
}

/** Where syslinux's MBR boot code is, inside a root that has syslinux-common. */
export const MBR_BIN = 'usr/lib/syslinux/mbr/mbr.bin';

/** The extlinux argv installing its boot sector and ldlinux.sys into a mounted /boot/extlinux. */
export function extlinuxInstallArgv(bootDir: string): string[] {
  return ['extlinux', '--install', bootDir];
}

type Ctx = Pick<DriverContext, 'cleanup' | 'config' | 'signal'>;

const opts = (ctx: Ctx, step: string) => ({ step, timeoutMs: ctx.config.timeouts.stepSec * 1000, signal: ctx.signal });

/**
 * Attaches `raw` to a loop device with its partitions, runs `fn` on the first partition's device, detaches.
 * Without udev the partition node may not appear by itself: `partx -a` adds it.
 */
export async function withPartition<T>(raw: string, ctx: Ctx, fn: (partition: string) => Promise<T>): Promise<T> {
  const dev = (await runOk(['losetup', '--find', '--show', '--partscan', raw], opts(ctx, 'losetup'))).stdout.trim();
  const detach = ctx.cleanup.push(`loop device ${dev} (${raw})`, async () => {
    await runOk(['losetup', '--detach', dev], { step: 'losetup --detach', timeoutMs: 30_000 });
  });
  try {
    const part = `${dev}p1`;
    if (!existsSync(part)) await run(['partx', '--add', dev], { step: 'partx --add', timeoutMs: 30_000 });
    for (let i = 0; i < 100 && !existsSync(part); i++) await new Promise((r) => setTimeout(r, 100));
    if (!existsSync(part)) throw new Error(`${part} did not appear after losetup --partscan and partx --add`);
    return await fn(part);
  } finally {
    await detach();
  }
}

/** Mounts `device` on a fresh temp folder, runs `fn` with it, unmounts and removes the folder. */
export async function withMount<T>(device: string, ctx: Ctx, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'isobench-mnt-'));
  await runOk(['mount', device, dir], opts(ctx, `mount ${device}`));
  const unmount = ctx.cleanup.push(`mount ${dir}`, async () => {
    await runOk(['umount', dir], { step: `umount ${dir}`, timeoutMs: 60_000 });
    await rm(dir, { recursive: true, force: true });
  });
  try {
    return await fn(dir);
  } finally {
    await unmount();
  }
}

/** Writes `root` into a new partitioned raw disk of `diskGiB` at `raw` and makes it boot through extlinux. */
export async function writeBootDisk(root: string, raw: string, diskGiB: number, ctx: Ctx): Promise<void> {
  await writeFile(raw, '');
  await truncate(raw, diskGiB * 2 ** 30);
  await runOk(['sfdisk', '--quiet', raw], { ...opts(ctx, 'sfdisk'), input: sfdiskScript() });
  await withPartition(raw, ctx, async (part) => {
    // ^64bit: the 1 MiB-aligned partition of a few GiB never needs it, and older syslinux cannot read it.
    await runOk(['mkfs.ext4', '-q', '-F', '-O', '^64bit', '-L', ROOT_LABEL, '-d', root, part], opts(ctx, 'mkfs.ext4 -d (root partition)'));
    await withMount(part, ctx, (dir) => runOk(extlinuxInstallArgv(join(dir, 'boot/extlinux')), opts(ctx, 'extlinux --install')));
  });
  const mbr = await readFile(join(root, MBR_BIN));
  const fd = await open(raw, 'r+');
  try {
    await fd.write(mbr, 0, Math.min(mbr.length, 440), 0);
  } finally {
    await fd.close();
  }
}
