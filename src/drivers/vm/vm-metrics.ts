// Sizes and memory of QEMU guests: qemu-img info of the backing chains, VmRSS, the guest's meminfo.
import { readFile, stat } from 'node:fs/promises';
import { runOk } from '../../lifecycle/process.js';
import type { ExecResult, Metric } from '../types.js';
import type { GuestImage } from './cloud-image.js';
import { chainSizes, infoArgv, parseInfo, type QemuImgInfo } from './qemu-img.js';

/** disk.actual/virtual of the base image plus the given overlays (a shared base counted once), with the offline image's kernel + initrd. */
export async function diskMetrics(image: GuestImage, overlays: string[]): Promise<Metric[]> {
  const chains: QemuImgInfo[][] = [];
  for (const file of overlays.length ? overlays : [image.disk]) {
    const r = await runOk(infoArgv(file), { step: 'qemu-img info', timeoutMs: 30_000 });
    chains.push(parseInfo(r.stdout));
  }
  const { actualBytes, virtualBytes } = chainSizes(chains);
  const direct = image.source === 'offline' && image.kernel && image.initrd ? [image.kernel, image.initrd] : [];
  let bootFiles = 0;
  for (const f of direct) bootFiles += (await stat(f)).size;
  const base = image.source === 'offline' ? `${image.profile} guest's base qcow2` : `cloud image (${image.format})`;
  const what = overlays.length ? `${base} + ${overlays.length} running overlay(s)` : base;
  return [
    {
      id: 'disk.actual.bytes',
      unit: 'bytes',
      value: actualBytes + bootFiles,
      method: `qemu-img info --backing-chain actual-size of the ${what} (shared base counted once)${direct.length ? ' + vmlinuz + initrd' : ''}`,
    },
    {
      id: 'disk.virtual.bytes',
      unit: 'bytes',
      value: virtualBytes,
      method: `qemu-img info virtual-size: the disk size the guest sees (${what})`,
    },
  ];
}

/** VmRSS of a host process, in bytes (what QEMU really takes from the host, guest RAM touched so far included). */
export async function processRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!kb) throw new Error(`no VmRSS in /proc/${pid}/status (is QEMU still running?)`);
  return Number(kb[1]) * 1024;
}

/** MemTotal - MemAvailable from the text of a /proc/meminfo, in bytes. */
export function guestUsedBytes(meminfo: ExecResult): number {
  const field = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(meminfo.stdout);
    if (!m) throw new Error(`guest /proc/meminfo has no ${name} (exit ${meminfo.exitCode}: ${meminfo.stderr.trim()})`);
    return Number(m[1]) * 1024;
  };
  return field('MemTotal') - field('MemAvailable');
}

/** size, used and avail in bytes from `df -B1 --output=size,used,avail /` run inside the guest. */
export function guestDf(df: ExecResult): { size: number; used: number; avail: number } {
  const line = df.stdout.trim().split('\n')[1] ?? '';
  const [size, used, avail] = line.trim().split(/\s+/).map(Number);
  if (df.exitCode !== 0 || ![size, used, avail].every((x) => Number.isFinite(x))) {
    throw new Error(`df inside the guest printed ${JSON.stringify(df.stdout.trim())} (exit ${df.exitCode}: ${df.stderr.trim()})`);
  }
  return { size: size!, used: used!, avail: avail! };
}
