// Memory numbers from the Engine's stats and /proc (pure parsers).

/** The memory_stats part of GET /containers/{id}/stats (cgroup v1 or v2). */
export interface MemoryStats {
  usage?: number;
  stats?: Record<string, number>;
}

/** A container's memory as `docker stats` computes it: usage minus inactive file cache (cgroup v1 key first, then v2). */
export function containerMemory(m: MemoryStats): { bytes: number; method: string } {
  if (typeof m.usage !== 'number') throw new Error('container stats carry no memory usage (is the memory cgroup controller enabled?)');
  const s = m.stats ?? {};
  const v1 = s.total_inactive_file;
  if (typeof v1 === 'number' && v1 < m.usage) {
    return { bytes: m.usage - v1, method: 'container stats API: memory usage - total_inactive_file (cgroup v1, as docker stats)' };
  }
  const v2 = s.inactive_file;
  if (v1 === undefined && typeof v2 === 'number' && v2 < m.usage) {
    return { bytes: m.usage - v2, method: 'container stats API: memory usage - inactive_file (cgroup v2, as docker stats)' };
  }
  return { bytes: m.usage, method: 'container stats API: memory usage' };
}

/** VmRSS of a /proc/PID/status text, in bytes. */
export function vmRssBytes(status: string): number {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!m) throw new Error('no VmRSS line in /proc status');
  return Number(m[1]) * 1024;
}
