// The owner of what isobench creates: the creating process's uid, pid, start time (/proc/PID/stat field 22) and
// boot id, and its host. Every user can check from /proc whether that process still runs (same pid, same start
// time, same boot): no manifest in the creator's own cache is needed, so one user's cleanup never takes another
// user's live work.
import { readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { processStartTime } from './proc.js';

export interface Owner {
  uid: number;
  pid: number;
  /** Clock ticks since boot when the process started: with the pid and the boot, one process, never a reused pid. */
  start: string;
  /** /proc/sys/kernel/random/boot_id (in names: its first 8 hex digits). */
  boot: string;
  /** Where the process runs (labels only: a container on a remote engine may be another machine's). */
  host?: string;
}

/** Container labels of the owner (set on create, beside isobench.owner = the run id). */
export const LABEL_OWNER_UID = 'isobench.owner.uid';
export const LABEL_OWNER_PID = 'isobench.owner.pid';
export const LABEL_OWNER_START = 'isobench.owner.start';
export const LABEL_OWNER_BOOT = 'isobench.owner.boot';
export const LABEL_OWNER_HOST = 'isobench.owner.host';

let boot: string | undefined;
/** This boot's id (read once). */
export function bootId(): string {
  boot ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  return boot;
}

/** The owner of what this process creates. */
export function currentOwner(): Owner {
  return { uid: process.getuid?.() ?? -1, pid: process.pid, start: processStartTime(process.pid) ?? '0', boot: bootId(), host: hostname() };
}

const short = (b: string) => b.replace(/-/g, '').slice(0, 8).toLowerCase();

/** The owner as the labels of a container. */
export function ownerLabels(o: Owner = currentOwner()): Record<string, string> {
  return {
    [LABEL_OWNER_UID]: String(o.uid),
    [LABEL_OWNER_PID]: String(o.pid),
    [LABEL_OWNER_START]: o.start,
    [LABEL_OWNER_BOOT]: o.boot,
    ...(o.host ? { [LABEL_OWNER_HOST]: o.host } : {}),
  };
}

/** The owner a container's labels name, or undefined (created by an isobench before owners were recorded). */
export function ownerFromLabels(l: Record<string, string> | undefined): Owner | undefined {
  if (!l) return undefined;
  const uid = Number(l[LABEL_OWNER_UID]);
  const pid = Number(l[LABEL_OWNER_PID]);
  const start = l[LABEL_OWNER_START];
  const bootLabel = l[LABEL_OWNER_BOOT];
  if (!Number.isInteger(uid) || !Number.isInteger(pid) || pid < 1 || !start || !/^\d+$/.test(start) || !bootLabel) return undefined;
  return { uid, pid, start, boot: bootLabel, ...(l[LABEL_OWNER_HOST] ? { host: l[LABEL_OWNER_HOST] } : {}) };
}

/** The owner as a name part, o<uid>.<pid>.<start>.<boot8>: work dirs and libvirt domains carry it in their name. */
export function ownerTag(o: Owner = currentOwner()): string {
  return `o${o.uid}.${o.pid}.${o.start}.${short(o.boot)}`;
}

/** The owner a name carries (…-o<uid>.<pid>.<start>.<boot8>-…), or undefined. */
export function ownerFromName(name: string): Owner | undefined {
  const m = /-o(\d+)\.(\d+)\.(\d+)\.([0-9a-f]{8})(?:-|$)/.exec(name);
  return m ? { uid: Number(m[1]), pid: Number(m[2]), start: m[3]!, boot: m[4]! } : undefined;
}

/** The mkdtemp prefix of a run's work dir: isobench-<run id>-<owner tag>- in the temp folder. */
export function workDirPrefix(runId: string, o: Owner = currentOwner()): string {
  return join(tmpdir(), `isobench-${runId}-${ownerTag(o)}-`);
}

/** What ownerAlive reads from the machine, so the decision itself is pure. */
export interface ProcView {
  host: string;
  boot: string;
  /** The start time of pid per /proc/PID/stat, undefined when there is no such process. */
  startOf(pid: number): string | undefined;
  /** /proc hides other users' processes (hidepid) from this process: their absence proves nothing. */
  hidesOthers: boolean;
  uid: number;
}

/** The machine as /proc shows it to this process. */
export function procView(): ProcView {
  return { host: hostname(), boot: bootId(), startOf: processStartTime, hidesOthers: procHidesOthers(), uid: process.getuid?.() ?? -1 };
}

/**
 * Is the owner still running? Another host's process is never judged (alive); another boot's is gone; on this
 * boot the pid must run with the same start time. Where /proc hides other users' processes, theirs count as alive.
 */
export function ownerAlive(o: Owner, view: ProcView = procView()): boolean {
  if (o.host !== undefined && o.host !== view.host) return true;
  if (short(o.boot) !== short(view.boot)) return false;
  const now = view.startOf(o.pid);
  if (now === undefined) return view.hidesOthers && o.uid !== view.uid && view.uid !== 0;
  return now === o.start;
}

/** True when /proc is mounted with hidepid (1, 2, invisible, noaccess): other users' pids are not visible. */
export function procHidesOthers(mounts?: string): boolean {
  let text = mounts;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/mounts', 'utf8');
    } catch {
      return false;
    }
  }
  return text.split('\n').some((l) => {
    const [, where, type, opts] = l.split(' ');
    return where === '/proc' && type === 'proc' && /(^|,)hidepid=(1|2|invisible|noaccess)(,|$)/.test(opts ?? '');
  });
}

/** The name of user `uid` from /etc/passwd, else "uid N". */
export function userName(uid: number, passwd?: string): string {
  let text = passwd;
  if (text === undefined) {
    try {
      text = readFileSync('/etc/passwd', 'utf8');
    } catch {
      text = '';
    }
  }
  const line = text.split('\n').find((l) => l.split(':')[2] === String(uid));
  return line ? line.split(':')[0]! : `uid ${uid}`;
}
