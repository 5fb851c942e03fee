// kernel: is the kernel inside the host's running kernel? Judged by identity (the boot_id every boot of a kernel
// draws at random), not by the release string: a guest of the host's own distribution may run the same release.
import os from 'node:os';
import { readFile } from 'node:fs/promises';
import { pyJson } from './exec-json.js';
import type { Probe } from './types.js';

const READ = `import json, platform
try:
    boot = open("/proc/sys/kernel/random/boot_id").read().strip()
except OSError:
    boot = None
print(json.dumps({"bootId": boot, "release": platform.release()}))`;

/** One side's kernel: its boot_id (null when unreadable) and release. */
export interface KernelView {
  bootId: string | null;
  release: string;
}

/** Pure: shared when the boot_ids are equal, own kernel when they differ, else not measured; releases beside. */
export function judgeKernel(inside: KernelView, host: KernelView, elsewhere?: string): { isolated: boolean | null; summary: string } {
  const releases = `release ${inside.release} inside, ${host.release} on this machine`;
  if (elsewhere) return { isolated: null, summary: `not compared: ${elsewhere}; ${releases}` };
  if (!inside.bootId || !host.bootId) {
    return { isolated: null, summary: `no boot_id to compare (inside: ${inside.bootId ?? 'unreadable'}, host: ${host.bootId ?? 'unreadable'}); ${releases}` };
  }
  if (inside.bootId === host.bootId) return { isolated: false, summary: `the host's running kernel (same boot_id), release ${inside.release}` };
  const same = inside.release === host.release ? ' (the same release string, yet another running kernel)' : '';
  return { isolated: true, summary: `its own kernel: boot_id differs from the host's; ${releases}${same}` };
}

export const kernelProbe: Probe = {
  id: 'kernel',
  title: 'Kernel identity against the host',
  appliesTo: ['venv', 'docker', 'vm'],
  async run({ driver, a, b, placement }) {
    const inside = await pyJson<KernelView>(driver, a, READ);
    const other = await pyJson<KernelView>(driver, b, READ);
    const host: KernelView = {
      bootId: (await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => '')).trim() || null,
      release: os.release(),
    };
    const { isolated, summary } = judgeKernel(inside, host, placement.sameMachine ? undefined : placement.reason);
    return {
      id: 'kernel',
      isolated,
      summary,
      evidence: {
        inside: inside.release,
        host: host.release,
        insideBootId: inside.bootId,
        hostBootId: host.bootId,
        otherInstanceSameKernel: inside.bootId !== null && inside.bootId === other.bootId,
      },
    };
  },
};
