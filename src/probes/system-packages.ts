// system-packages: is a program installed on the host system usable inside (the document's postgresql-client)?
// Judged by identity: the host's very file (same device, inode, size, mtime) is shared; a program of the same
// name that is another file (the image's own copy) is not.
import { run } from '../lifecycle/process.js';
import { pyJson } from './exec-json.js';
import { PY_IDENT, sameFile, type FileIdent } from './file-identity.js';
import type { Probe } from './types.js';

/** Host programs to try, the document's example first; none of them is in a minimal Python image. */
export const HOST_PROGRAM_CANDIDATES = ['psql', 'git', 'gcc', 'make', 'curl', 'jq', 'node'];

const WHICH = `import json, os, shutil, sys
${PY_IDENT}
path = shutil.which(sys.argv[1])
print(json.dumps({"path": path, "ident": ident(path) if path else None}))`;

/** Where a program was found on one side, and the identity of its real file. */
export interface ProgramView {
  path: string | null;
  ident: FileIdent | null;
}

/** Pure: absent inside is isolated, the host's own file is shared, another file is isolated; unknown identity is not measured. */
export function judgeProgram(program: string, host: ProgramView, inside: ProgramView): { isolated: boolean | null; summary: string } {
  if (inside.path === null) return { isolated: true, summary: `${program} (host: ${host.path}) is not available inside` };
  if (sameFile(inside.ident, host.ident)) return { isolated: false, summary: `${program} inside (${inside.path}) is the host's own file ${host.path}` };
  if (!inside.ident || !host.ident) {
    return { isolated: null, summary: `${program} exists inside (${inside.path}), but its file could not be compared with the host's ${host.path}` };
  }
  return { isolated: true, summary: `${program} inside (${inside.path}) is the environment's own copy, another file than the host's ${host.path}` };
}

export const systemPackagesProbe: Probe = {
  id: 'system-packages',
  title: 'A program installed on the host usable inside',
  appliesTo: ['venv', 'docker', 'vm'],
  async run({ driver, a, ctx, placement }) {
    let program: string | undefined;
    let host: ProgramView = { path: null, ident: null };
    for (const name of HOST_PROGRAM_CANDIDATES) {
      const r = await run(['python3', '-c', WHICH, name], { step: 'host which', timeoutMs: 30_000, signal: ctx.signal });
      const found = r.exitCode === 0 ? (JSON.parse(r.stdout.trim()) as ProgramView) : null;
      if (found?.path) {
        program = name;
        host = found;
        break;
      }
    }
    if (!program) {
      return {
        id: 'system-packages',
        isolated: null,
        summary: `none of ${HOST_PROGRAM_CANDIDATES.join(', ')} is installed on the host, so there is nothing to look for inside`,
        evidence: { candidates: HOST_PROGRAM_CANDIDATES },
      };
    }
    const inside = await pyJson<ProgramView>(driver, a, WHICH, [program]);
    const evidence = { program, hostPath: host.path, insidePath: inside.path, hostFile: host.ident, insideFile: inside.ident };
    if (!placement.sameMachine) {
      return { id: 'system-packages', isolated: null, summary: `not compared with this machine's ${program}: ${placement.reason}`, evidence };
    }
    return { id: 'system-packages', ...judgeProgram(program, host, inside), evidence };
  },
};
