// Memory of a running container: its cgroup (stats API) and the RSS of its Python (PID 1).
import { containerMemory, vmRssBytes, type MemoryStats } from './memory-stats.js';
import { execIn } from './container.js';
import type { DockerInstance } from './types.js';
import type { Metric } from '../types.js';

/** Sums VmRSS over /proc inside a container, leaving out itself and the exec wrapper that started it: "KB COUNT". */
const RSS_SUM = `import os, re
skip = {os.getpid(), os.getppid()}
total = count = 0
for p in os.listdir('/proc'):
    if not p.isdigit() or int(p) in skip:
        continue
    try:
        m = re.search(r'^VmRSS:\\s+(\\d+)', open('/proc/' + p + '/status').read(), re.M)
    except OSError:
        continue
    if m:
        total += int(m.group(1))
        count += 1
print(total, count)`;

/** memory.processes.bytes (RSS of its processes), memory.container.bytes (cgroup v1/v2 through the stats API) and memory.python.bytes (VmRSS of PID 1). */
export async function containerMemoryMetrics(inst: DockerInstance): Promise<Metric[]> {
  // A container without a cgroup of its own (rootless Podman on cgroup v1) has no cgroup number to read.
  const mem = inst.env.ownCgroup
    ? containerMemory(((await inst.docker.getContainer(inst.id).stats({ stream: false })) as { memory_stats: MemoryStats }).memory_stats)
    : undefined;
  const status = await execIn(inst, ['cat', '/proc/1/status'], { timeoutMs: 10_000 });
  if (status.exitCode !== 0) throw new Error(`reading /proc/1/status in ${inst.id.slice(0, 12)} failed (exit ${status.exitCode}): ${status.stderr.trim()}`);
  const sum = await execIn(inst, ['python3', '-c', RSS_SUM], { timeoutMs: 10_000 });
  const [kb, count] = sum.stdout.trim().split(/\s+/).map(Number);
  // Under a runtime with its own kernel (gVisor), /proc inside is that kernel's accounting, not the host's.
  const seenBy = inst.env.runtime ? `, as the ${inst.env.runtime} sandbox's own kernel reports them in its /proc (not the host's RSS of the sandbox: see the cgroup)` : '';
  if (sum.exitCode !== 0 || !Number.isFinite(kb) || !count) throw new Error(`summing the RSS of the processes in ${inst.id.slice(0, 12)} failed (exit ${sum.exitCode}): ${(sum.stderr || sum.stdout).trim()}`);
  return [
    {
      id: 'memory.processes.bytes',
      unit: 'bytes',
      value: kb! * 1024,
      method: `sum of VmRSS of the ${count} processes in the container (its idle PID 1 and the workload Python), the same accounting as a venv's Python: resident pages, shared ones included${seenBy}`,
    },
    ...(mem ? [cgroupMetric(mem, inst)] : []),
    { id: 'memory.python.bytes', unit: 'bytes', value: vmRssBytes(status.stdout), method: 'VmRSS of the container\'s PID 1, an idle python3 (signal.pause()) that keeps it alive' },
  ];
}

function cgroupMetric(mem: { bytes: number; method: string }, inst: DockerInstance): Metric {
  const sandbox = inst.env.runtime ? `, and the ${inst.env.runtime} sandbox's own processes` : '';
  return { id: 'memory.container.bytes', unit: 'bytes', value: mem.bytes, method: `the container's cgroup while the workload Python runs in it (its idle PID 1 included${sandbox}): ${mem.method}` };
}
