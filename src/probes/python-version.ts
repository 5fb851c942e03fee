// python-version: is the environment's Python one of the host's interpreters, or one of its own?
// Judged against every host interpreter (python3, environments.venv.interpreters, every python3 and python3.N on PATH;
// listed with their versions in the evidence, as the versions a venv could be made from here) by the
// binary's identity (device, inode, size, mtime of its real path) and build string, so a venv built from
// /usr/bin/python3.11 reads as the host's even when `python3` is another Python, and a container of the host's
// own distribution, with the very same Python build, still counts as its own.
import { run } from '../lifecycle/process.js';
import { pyJson } from './exec-json.js';
import { PY_IDENT, sameFile, type FileIdent } from './file-identity.js';
import { hostPythons } from './host-pythons.js';
import type { Probe } from './types.js';

const INFO = `import json, os, sys
${PY_IDENT}
print(json.dumps({"version": sys.version.split()[0], "build": sys.version, "executable": os.path.realpath(sys.executable), "file": ident(sys.executable)}))`;

/** One interpreter: its version, build string, real path and binary identity. */
export interface PyInfo {
  version: string;
  build: string;
  executable: string;
  file: FileIdent | null;
}

/** A host interpreter by the name it was called with; info null when it would not run. */
export interface HostPythonInfo {
  name: string;
  info: PyInfo | null;
}

/** Pure: shared when one host interpreter is the same binary with the same build; own when none is; else not measured. */
export function judgePython(inside: PyInfo, hosts: HostPythonInfo[]): { isolated: boolean | null; summary: string; match?: string } {
  const ran = hosts.filter((h): h is { name: string; info: PyInfo } => h.info !== null);
  const list = ran.map((h) => `${h.name} ${h.info.version}`).join(', ');
  if (!ran.length) return { isolated: null, summary: `inside: Python ${inside.version}; none of ${hosts.map((h) => h.name).join(', ')} ran on the host to compare` };
  const match = ran.find((h) => h.info.build === inside.build && sameFile(h.info.file, inside.file));
  if (match) {
    const summary = `the host's interpreter ${match.name} (${match.info.executable}): Python ${inside.version}, the very binary; another version only where the host has one installed (the host's: ${list})`;
    return { isolated: false, summary, match: match.name };
  }
  if (!inside.file || ran.some((h) => !h.info.file)) {
    return { isolated: null, summary: `inside: Python ${inside.version}; a binary could not be identified to compare with the host's (${list})` };
  }
  return { isolated: true, summary: `its own interpreter: Python ${inside.version} (${inside.executable}), none of the host's (${list})` };
}

/** Pure: the distinct versions of the host interpreters that ran, in version order. */
export function hostVersions(hosts: readonly HostPythonInfo[]): string[] {
  const versions = [...new Set(hosts.flatMap((h) => (h.info ? [h.info.version] : [])))];
  return versions.sort((x, y) => x.localeCompare(y, 'en', { numeric: true }));
}

export const pythonVersionProbe: Probe = {
  id: 'python-version',
  title: 'Python interpreter against the host\'s',
  appliesTo: ['venv', 'docker', 'vm'],
  async run({ driver, a, ctx, placement }) {
    const inside = await pyJson<PyInfo>(driver, a, INFO);
    const hosts: HostPythonInfo[] = [];
    for (const { name } of await hostPythons(ctx.config.environments.venv.interpreters, ctx.signal)) {
      const r = await run([name, '-c', INFO], { step: `host ${name}`, timeoutMs: 30_000, signal: ctx.signal });
      hosts.push({ name, info: r.exitCode === 0 ? (JSON.parse(r.stdout.trim().split('\n').pop()!) as PyInfo) : null });
    }
    const evidence = {
      inside: inside.version,
      insideBuild: inside.build,
      insideExecutable: inside.executable,
      host: Object.fromEntries(hosts.map((h) => [h.name, h.info ? `${h.info.version} (${h.info.executable})` : 'did not run'])),
      /** The Python versions installed on the host (python3, the venv interpreters, python3 and python3.N on PATH): the ones a venv can be made from. */
      hostVersions: hostVersions(hosts),
    };
    if (!placement.sameMachine) {
      return { id: 'python-version', isolated: null, summary: `inside: Python ${inside.version}; not compared with this machine's: ${placement.reason}`, evidence };
    }
    const { isolated, summary, match } = judgePython(inside, hosts);
    return { id: 'python-version', isolated, summary, evidence: { ...evidence, sameBinaryAs: match ?? null } };
  },
};
