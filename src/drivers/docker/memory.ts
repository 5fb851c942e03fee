// Memory of a running container: its cgroup (stats API) and the RSS of its Python (PID 1).
import { containerMemory, vmRssBytes, type MemoryStats } from './memory-stats.js';
import { execIn } from './container.js';
import type { DockerInstance } from './types.js';
import type { Metric } from '../types.js';

/** memory.container.bytes (cgroup v1/v2 through the stats API) and memory.python.bytes (VmRSS of PID 1). */
export async function containerMemoryMetrics(inst: DockerInstance): Promise<Metric[]> {
  const stats = (await inst.docker.getContainer(inst.id).stats({ stream: false })) as { memory_stats: MemoryStats };
  const mem = containerMemory(stats.memory_stats);
  const status = await execIn(inst, ['cat', '/proc/1/status'], { timeoutMs: 10_000 });
  if (status.exitCode !== 0) throw new Error(`reading /proc/1/status in ${inst.id.slice(0, 12)} failed (exit ${status.exitCode}): ${status.stderr.trim()}`);
  return [
    { id: 'memory.container.bytes', unit: 'bytes', value: mem.bytes, method: `the container's cgroup while the workload Python runs in it (its idle PID 1 included): ${mem.method}` },
    { id: 'memory.python.bytes', unit: 'bytes', value: vmRssBytes(status.stdout), method: 'VmRSS of the container\'s PID 1, an idle python3 (signal.pause()) that keeps it alive' },
  ];
}
