// Finding and killing QEMU processes isobench started (their -name is isobench-<runId>-<instance>).
import { readFile, readdir } from 'node:fs/promises';
import { basename } from 'node:path';

export interface QemuProcessInfo {
  pid: number;
  /** The -name value, e.g. isobench-20250101-120000-abcdef-vm-qemu-1. */
  name: string;
}

/** The `-name` of a QEMU argv when it starts with `prefix`, else undefined (pure). */
export function isobenchQemuName(argv: string[], prefix: string): string | undefined {
  if (!argv[0] || !basename(argv[0]).startsWith('qemu-system')) return undefined;
  const i = argv.indexOf('-name');
  const name = i >= 0 ? argv[i + 1] : undefined;
  return name?.startsWith(prefix) ? name : undefined;
}

/** Running QEMU processes whose -name starts with `prefix` (`isobench-` for all runs, `isobench-<runId>-` for one). */
export async function findQemuProcesses(prefix = 'isobench-'): Promise<QemuProcessInfo[]> {
  const out: QemuProcessInfo[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const name = isobenchQemuName(cmdline.split('\0'), prefix);
    if (name) out.push({ pid: Number(entry), name });
  }
  return out;
}

/** SIGKILLs the process group of each QEMU matching `prefix` (QEMU leads its own group); returns how many. */
export async function killQemuProcesses(prefix: string): Promise<number> {
  const found = await findQemuProcesses(prefix);
  for (const p of found) {
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }
  return found.length;
}
