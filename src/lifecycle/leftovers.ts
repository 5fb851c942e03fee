// Finds and removes what earlier runs left behind: containers by the owner label isobench sets on create
// (never by a label an image passes on), QEMU processes by name, work dirs by name, stale manifests.
// Whatever a live isobench process owns (its manifest names a running pid with the same start time) is never touched.
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reachableEngines } from '../drivers/docker/row-engine.js';
import { findQemuProcesses, killQemuProcesses } from '../drivers/vm/index.js';
import { LABEL_OWNER } from './labels.js';
import { isAlive, readManifests, removeManifest } from './manifest.js';
import { isNodeProcess, parentPid } from './proc.js';
import { run, runOk } from './process.js';
import type { Config } from '../config/schema.js';

export interface Leftover {
  kind: 'container' | 'qemu' | 'domain' | 'workdir' | 'manifest';
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
    // A QEMU whose parent is still a node process was started by a live isobench (even one that wrote no manifest).
    const parent = parentPid(q.pid);
    if (parent !== undefined && parent > 1 && isNodeProcess(parent)) continue;
    if (dead(runId)) out.push({ kind: 'qemu', id: `pid ${q.pid} (${q.name})`, runId, remove: async () => void (await killQemuProcesses(q.name)) });
  }
  // Vagrant's machines are libvirt domains (their QEMU is libvirtd's child, named guest=…): a killed run
  // leaves the domain defined and running after its folder, and with it `vagrant destroy`, is gone.
  const virsh = (args: string[]) => ['virsh', '--connect', 'qemu:///system', ...args];
  const doms = await run(virsh(['list', '--all', '--name']), { step: 'virsh list', timeoutMs: 60_000 });
  for (const dom of doms.exitCode === 0 ? doms.stdout.split('\n').map((l) => l.trim()) : []) {
    const runId = runIdOf(dom);
    if (!dead(runId)) continue;
    out.push({
      kind: 'domain',
      id: dom,
      runId,
      remove: async () => {
        await run(virsh(['destroy', dom]), { step: 'virsh destroy', timeoutMs: 60_000 });
        await runOk(virsh(['undefine', dom, '--remove-all-storage']), { step: 'virsh undefine', timeoutMs: 60_000 });
      },
    });
  }
  for (const name of await readdir(tmpdir()).catch(() => [] as string[])) {
    const runId = runIdOf(name);
    const path = join(tmpdir(), name);
    if (dead(runId)) out.push({ kind: 'workdir', id: path, runId, remove: () => rm(path, { recursive: true, force: true }) });
  }
  // Every engine a run may have used: the discovered one and every Podman socket here (the Podman row's).
  for (const { docker } of await reachableEngines({ config })) {
    for (const c of await docker.listContainers({ all: true, filters: { label: [LABEL_OWNER] } })) {
      const runId = c.Labels[LABEL_OWNER];
      if (!dead(runId)) continue;
      // Belt and braces: an owner label that came with the image was not set by isobench on this container.
      const image = await docker.getImage(c.ImageID).inspect().catch(() => undefined);
      if (inherited(c.Labels, image?.Config?.Labels)) continue;
      out.push({ kind: 'container', id: c.Id.slice(0, 12), runId, remove: () => docker.getContainer(c.Id).remove({ force: true }) });
    }
  }
  return out;
}

/** True when the container's owner label is the one its image carries (inherited, not set on create). */
export function inherited(container: Record<string, string>, image: Record<string, string> | null | undefined): boolean {
  const owner = container[LABEL_OWNER];
  return owner !== undefined && image?.[LABEL_OWNER] === owner;
}
