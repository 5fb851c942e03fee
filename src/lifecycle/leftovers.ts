// Finds and removes what earlier runs left behind: containers by label, QEMU processes by name,
// work dirs by name, stale manifests. Runs still alive are never touched.
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engine } from '../drivers/docker/engine.js';
import { findQemuProcesses, killQemuProcesses } from '../drivers/vm/index.js';
import { LABEL_RUN } from './labels.js';
import { isAlive, readManifests, removeManifest } from './manifest.js';
import type { Config } from '../config/schema.js';

export interface Leftover {
  kind: 'container' | 'qemu' | 'workdir' | 'manifest';
  id: string;
  runId: string;
  remove(): Promise<void>;
}

/** The run id inside an isobench resource name (isobench-[purpose-]<runId>-…, purpose e.g. test, doctor), if any. */
export function runIdOf(name: string): string | undefined {
  return /^isobench-((?:[a-z]+-)?\d{8}-\d{6}-[0-9a-f]{6})(?:-|$)/.exec(name)?.[1];
}

/** Everything left by runs that are no longer alive. Docker is asked only when it answers. */
export async function findLeftovers(config: Config): Promise<Leftover[]> {
  const manifests = await readManifests();
  const alive = new Set(manifests.filter(isAlive).map((m) => m.runId));
  const dead = (runId: string | undefined): runId is string => runId !== undefined && !alive.has(runId);
  const out: Leftover[] = [];
  for (const m of manifests.filter((x) => !alive.has(x.runId))) {
    out.push({ kind: 'manifest', id: m.runId, runId: m.runId, remove: () => removeManifest(m.runId) });
  }
  for (const q of await findQemuProcesses('isobench-')) {
    const runId = runIdOf(q.name);
    if (dead(runId)) out.push({ kind: 'qemu', id: `pid ${q.pid} (${q.name})`, runId, remove: async () => void (await killQemuProcesses(q.name)) });
  }
  for (const name of await readdir(tmpdir()).catch(() => [] as string[])) {
    const runId = runIdOf(name);
    const path = join(tmpdir(), name);
    if (dead(runId)) out.push({ kind: 'workdir', id: path, runId, remove: () => rm(path, { recursive: true, force: true }) });
  }
  const docker = await engine({ config }).then((e) => e.docker).catch(() => undefined);
  if (docker) {
    for (const c of await docker.listContainers({ all: true, filters: { label: [LABEL_RUN] } })) {
      const runId = c.Labels[LABEL_RUN];
      if (dead(runId)) {
        out.push({ kind: 'container', id: c.Id.slice(0, 12), runId, remove: () => docker.getContainer(c.Id).remove({ force: true }) });
      }
    }
  }
  return out;
}
