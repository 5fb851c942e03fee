// Disk usage of a folder the way du counts it: apparent bytes, allocated bytes, files (hard links once).
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface DiskUsage {
  apparentBytes: number;
  allocatedBytes: number;
  files: number;
}

/** Walks `root` without following symlinks; each inode counts once. */
export async function diskUsage(root: string): Promise<DiskUsage> {
  const seen = new Set<string>();
  const total: DiskUsage = { apparentBytes: 0, allocatedBytes: 0, files: 0 };
  const walk = async (path: string): Promise<void> => {
    const st = await lstat(path, { bigint: true });
    const key = `${st.dev}:${st.ino}`;
    if (seen.has(key)) return;
    seen.add(key);
    total.apparentBytes += Number(st.size);
    total.allocatedBytes += Number(st.blocks) * 512;
    if (st.isDirectory()) {
      for (const name of await readdir(path)) await walk(join(path, name));
    } else {
      total.files += 1;
    }
  };
  await walk(root);
  return total;
}
