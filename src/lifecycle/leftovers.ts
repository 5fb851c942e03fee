// Finds and removes what earlier runs left behind: containers by the owner label isobench sets on create
// (never by a label an image passes on), QEMU processes by name, work dirs and libvirt domains by name, stale
// manifests. Whether the creator still runs is decided from /proc (owner.ts: its pid with the same start time on
// this boot), so every user sees every user's live work: what a live process owns is never touched, and another
// user's dead leftovers are listed as theirs (removed only with --all-users). Resources of an older isobench,
// which carry no owner, are judged by the caller's own manifests, and only when those name their run.
import { readdir, rm, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reachableEngines } from '../drivers/docker/row-engine.js';
import { findQemuProcesses } from '../drivers/vm/index.js';
import { LABEL_OWNER } from './labels.js';
import { isAlive, readManifests, removeManifest, type RunManifest } from './manifest.js';
import { ownerAlive, ownerFromLabels, ownerFromName, procView, userName, type Owner, type ProcView } from './owner.js';
import { exeHidden, isNodeProcess, parentPid } from './proc.js';
import { run, runOk } from './process.js';
import type { Config } from '../config/schema.js';

export interface Leftover {
  kind: 'container' | 'qemu' | 'domain' | 'workdir' | 'manifest';
  id: string;
  runId: string;
  /** The user whose run left it (uid), when known. */
  uid?: number;
  /** True when it is the caller's own (its uid, or its run in the caller's manifests). */
  mine: boolean;
  remove(): Promise<void>;
}

/** The run id inside an isobench resource name (isobench-[purpose-]<runId>-…, purpose e.g. test, doctor), if any. */
export function runIdOf(name: string): string | undefined {
  return /^isobench-((?:[a-z]+-)?\d{8}-\d{6}-[0-9a-f]{6})(?:-|$)/.exec(name)?.[1];
}

export type Verdict = 'alive' | 'dead' | 'unknown';

/**
 * Alive or dead, pure: an owner (labels or name) is judged from /proc; without one (an older isobench), the
 * caller's manifest of the run decides; without that too, only the caller's own resource (uid) counts as dead.
 */
export function judge(owner: Owner | undefined, manifest: RunManifest | undefined, resourceUid: number | undefined, view: ProcView, manifestAlive = isAlive): Verdict {
  if (owner) return ownerAlive(owner, view) ? 'alive' : 'dead';
  if (manifest) return manifestAlive(manifest) ? 'alive' : 'dead';
  return resourceUid !== undefined && resourceUid === view.uid ? 'dead' : 'unknown';
}

/** The uid of process pid (/proc/PID/status), if readable. */
function processUid(pid: number): number | undefined {
  try {
    const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Everything left by runs that are no longer alive, every user's (Leftover.mine says whose). Docker is asked only when it answers. */
export async function findLeftovers(config: Config): Promise<Leftover[]> {
  const view = procView();
  const manifests = await readManifests();
  const byRun = new Map(manifests.map((m) => [m.runId, m]));
  const out: Leftover[] = [];
  /** Adds the resource when its run is dead; mine when its uid is the caller's or the caller's manifests name its run. */
  const consider = (kind: Leftover['kind'], id: string, runId: string | undefined, owner: Owner | undefined, uid: number | undefined, remove: () => Promise<void>) => {
    if (runId === undefined) return;
    const manifest = byRun.get(runId);
    if (judge(owner, manifest, uid, view) !== 'dead') return;
    const who = owner?.uid ?? uid;
    const mine = who !== undefined ? who === view.uid : manifest !== undefined;
    out.push({ kind, id, runId, ...(who !== undefined ? { uid: who } : {}), mine, remove });
  };
  for (const m of manifests.filter((x) => !isAlive(x))) {
    out.push({ kind: 'manifest', id: m.runId, runId: m.runId, uid: view.uid, mine: true, remove: () => removeManifest(m.runId) });
  }
  for (const q of await findQemuProcesses('isobench-')) {
    // A QEMU's owner is its parent: one whose parent is still a node process was started by a live isobench
    // (/proc: a dead parent's QEMU is re-parented). Another user's parent hides its executable: it may be
    // one, so that QEMU is not judged. Its user is the QEMU's own uid.
    const parent = parentPid(q.pid);
    if (parent !== undefined && parent > 1 && (isNodeProcess(parent) || exeHidden(parent))) continue;
    const runId = runIdOf(q.name);
    const manifest = runId === undefined ? undefined : byRun.get(runId);
    if (manifest && isAlive(manifest)) continue;
    const uid = processUid(q.pid);
    if (runId === undefined) continue;
    out.push({ kind: 'qemu', id: `pid ${q.pid} (${q.name})`, runId, ...(uid !== undefined ? { uid } : {}), mine: uid === view.uid, remove: () => killQemu(q.pid) });
  }
  // Vagrant's machines are libvirt domains (their QEMU is libvirtd's child, named guest=…): a killed run
  // leaves the domain defined and running after its folder, and with it `vagrant destroy`, is gone.
  const virsh = (args: string[]) => ['virsh', '--connect', 'qemu:///system', ...args];
  const doms = await run(virsh(['list', '--all', '--name']), { step: 'virsh list', timeoutMs: 60_000 });
  for (const dom of doms.exitCode === 0 ? doms.stdout.split('\n').map((l) => l.trim()) : []) {
    consider('domain', dom, runIdOf(dom), ownerFromName(dom), undefined, async () => {
      await run(virsh(['destroy', dom]), { step: 'virsh destroy', timeoutMs: 60_000 });
      await runOk(virsh(['undefine', dom, '--remove-all-storage']), { step: 'virsh undefine', timeoutMs: 60_000 });
    });
  }
  for (const name of await readdir(tmpdir()).catch(() => [] as string[])) {
    const runId = runIdOf(name);
    if (runId === undefined) continue;
    const path = join(tmpdir(), name);
    const uid = await stat(path).then((s) => s.uid, () => undefined);
    consider('workdir', path, runId, ownerFromName(name), uid, () => rm(path, { recursive: true, force: true }));
  }
  // Every engine a run may have used: the discovered one and every Podman socket here (the Podman row's).
  for (const { docker } of await reachableEngines({ config })) {
    for (const c of await docker.listContainers({ all: true, filters: { label: [LABEL_OWNER] } })) {
      const runId = c.Labels[LABEL_OWNER];
      const owner = ownerFromLabels(c.Labels);
      if (runId === undefined || judge(owner, byRun.get(runId), undefined, view) !== 'dead') continue;
      // Belt and braces: an owner label that came with the image was not set by isobench on this container.
      const image = await docker.getImage(c.ImageID).inspect().catch(() => undefined);
      if (inherited(c.Labels, image?.Config?.Labels)) continue;
      consider('container', c.Id.slice(0, 12), runId, owner, undefined, () => docker.getContainer(c.Id).remove({ force: true }));
    }
  }
  return out;
}

/** SIGKILLs a QEMU's process group (QEMU leads its own), else the process; not being allowed to is an error, gone is not. */
function killQemu(pid: number): Promise<void> {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
      return Promise.resolve();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPERM') return Promise.reject(Object.assign(new Error(`not allowed to stop pid ${pid}`), { code: 'EPERM' }));
    }
  }
  return Promise.resolve();
}

/** Whose a leftover is, for messages: the user's name, or "an unknown user" (an older isobench's container). */
export function whose(l: Pick<Leftover, 'uid'>, passwd?: string): string {
  return l.uid === undefined ? 'an unknown user' : userName(l.uid, passwd);
}

/** True when the container's owner label is the one its image carries (inherited, not set on create). */
export function inherited(container: Record<string, string>, image: Record<string, string> | null | undefined): boolean {
  const owner = container[LABEL_OWNER];
  return owner !== undefined && image?.[LABEL_OWNER] === owner;
}
