// system-packages: is a program installed on the host system usable inside (the document's postgresql-client)?
import { run } from '../lifecycle/process.js';
import { pyJson } from './exec-json.js';
import type { Probe } from './types.js';

/** Host programs to try, the document's example first; none of them is in a minimal Python image. */
export const HOST_PROGRAM_CANDIDATES = ['psql', 'git', 'gcc', 'make', 'curl', 'jq', 'node'];

const WHICH = 'import json, shutil, sys; print(json.dumps({"path": shutil.which(sys.argv[1])}))';

export const systemPackagesProbe: Probe = {
  id: 'system-packages',
  title: 'A program installed on the host usable inside',
  appliesTo: ['venv', 'docker', 'vm'],
  async run({ driver, a, ctx }) {
    let program: string | undefined;
    let hostPath = '';
    for (const name of HOST_PROGRAM_CANDIDATES) {
      const r = await run(['python3', '-c', WHICH, name], { step: 'host which', timeoutMs: 30_000, signal: ctx.signal });
      const path = r.exitCode === 0 ? (JSON.parse(r.stdout.trim()) as { path: string | null }).path : null;
      if (path) {
        program = name;
        hostPath = path;
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
    const inside = (await pyJson<{ path: string | null }>(driver, a, WHICH, [program])).path;
    return {
      id: 'system-packages',
      isolated: inside === null,
      summary: inside ? `${program} from the host system is usable inside (${inside})` : `${program} (host: ${hostPath}) is not available inside`,
      evidence: { program, hostPath, insidePath: inside },
    };
  },
};
