// root-mapping: is the environment's root the host's root? From /proc/self/uid_map inside and, decisively, the owner
// on this host of a file the environment created (identity beats text: gVisor shows its own uid_map, not the host's).
import { randomBytes } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { pyJson } from './exec-json.js';
import type { Probe } from './types.js';

const WRITE = `import json, os, sys
open(sys.argv[1], "w").write("isobench root-mapping probe\\n")
print(json.dumps({"uid": os.geteuid(), "uidMap": open("/proc/self/uid_map").read()}))`;
const REMOVE = 'import json, os, sys\ntry:\n    os.remove(sys.argv[1])\nexcept OSError:\n    pass\nprint(json.dumps({"ok": True}))';

/** One uid_map line: `inside outside count`. */
export interface UidRange {
  inside: number;
  outside: number;
  count: number;
}

/** Pure: the ranges of a /proc/self/uid_map text. */
export function parseUidMap(text: string): UidRange[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter((n) => n.length === 3 && n.every(Number.isFinite))
    .map(([inside, outside, count]) => ({ inside: inside!, outside: outside!, count: count! }));
}

/** Pure: what uid `uid` inside maps to one namespace up, per the map; undefined when unmapped. */
export function mapUid(ranges: readonly UidRange[], uid: number): number | undefined {
  const r = ranges.find((x) => uid >= x.inside && uid < x.inside + x.count);
  return r ? r.outside + (uid - r.inside) : undefined;
}

/** Pure: the verdict from the inside uid, its uid_map and the host-side owner of the file it created (undefined: none to read). */
export function judgeRootMapping(
  insideUid: number,
  uidMap: string,
  hostOwner: number | undefined,
  unreadable?: string,
): { isolated: boolean | null; rootOnHost: boolean | null; summary: string } {
  const ranges = parseUidMap(uidMap);
  const mapped = mapUid(ranges, 0);
  const mapText = `uid_map inside: ${ranges.map((r) => `${r.inside} ${r.outside} ${r.count}`).join(', ') || 'empty'}`;
  if (hostOwner === undefined) {
    return { isolated: null, rootOnHost: null, summary: `not measured on the host: ${unreadable ?? 'no host-side path for a file it created'}; ${mapText} (a kernel's own view, not evidence about this host)` };
  }
  const who = `a file created as uid ${insideUid} inside is owned by uid ${hostOwner} on this host`;
  if (insideUid === 0 && hostOwner === 0) return { isolated: false, rootOnHost: true, summary: `root inside is root on the host: ${who}; ${mapText}` };
  if (insideUid === 0) return { isolated: true, rootOnHost: false, summary: `root inside is an unprivileged uid on the host: ${who}; ${mapText}` };
  if (hostOwner === insideUid && mapped === 0) {
    return { isolated: false, rootOnHost: true, summary: `no user namespace between it and the host: ${who}, and its uid_map maps 0 to 0, so root there would be root here; ${mapText}` };
  }
  return { isolated: null, rootOnHost: null, summary: `not measured for root: it runs as uid ${insideUid}, not root; ${who}; ${mapText}` };
}

export const rootMappingProbe: Probe = {
  id: 'root-mapping',
  title: 'Root inside against root on the host',
  appliesTo: ['venv', 'docker', 'vm'],
  async run({ driver, a, ctx, placement }) {
    // /var/tmp: on the environment's own root file system in every kind (gVisor keeps /tmp in its own memory).
    const path = `/var/tmp/isobench-root-map-${randomBytes(6).toString('hex')}`;
    // Where the instance writes this machine's own file system (a venv), the file is removed here too.
    const removeHere = driver.hostPath ? async () => undefined : ctx.cleanup.push(`probe file ${path}`, () => rm(path, { force: true }));
    // As root inside: what root there is on the host is the question (a driver whose commands run as a user asks for root).
    const seen = await pyJson<{ uid: number; uidMap: string }>(driver, a, WRITE, [path], { asRoot: true });
    try {
      let owner: number | undefined;
      let unreadable: string | undefined;
      if (!placement.sameMachine) unreadable = `the instances are not on this machine (${placement.reason})`;
      else {
        const where = driver.hostPath ? await driver.hostPath(a, path) : { path };
        if ('path' in where) {
          owner = (await stat(where.path).catch(() => undefined))?.uid;
          if (owner === undefined) unreadable = `${where.path} was not found on the host`;
        } else unreadable = where.none;
      }
      const j = judgeRootMapping(seen.uid, seen.uidMap, owner, unreadable);
      return { id: 'root-mapping', isolated: j.isolated, summary: j.summary, evidence: { insideUid: seen.uid, uidMap: seen.uidMap.trim(), hostOwner: owner ?? null, rootOnHost: j.rootOnHost, path } };
    } finally {
      await pyJson(driver, a, REMOVE, [path], { asRoot: true }).catch(() => undefined);
      await removeHere();
    }
  },
};
