// python-version: is the environment's Python the host's interpreter, or one of its own?
// Judged by the interpreter binary's identity (device and inode of its real path) and its build string,
// so a container of the host's own distribution, with the very same Python build, still counts as its own.
import { run } from '../lifecycle/process.js';
import { pyJson } from './exec-json.js';
import type { Probe } from './types.js';

const INFO = `import json, os, sys
st = os.stat(os.path.realpath(sys.executable))
print(json.dumps({"version": sys.version.split()[0], "build": sys.version, "file": [st.st_dev, st.st_ino]}))`;

interface PyInfo {
  version: string;
  build: string;
  file: [number, number];
}

export const pythonVersionProbe: Probe = {
  id: 'python-version',
  title: 'Python version against the host',
  appliesTo: ['venv', 'docker', 'vm'],
  async run({ driver, a, ctx }) {
    const inside = await pyJson<PyInfo>(driver, a, INFO);
    const h = await run(['python3', '-c', INFO], { step: 'host python3', timeoutMs: 30_000, signal: ctx.signal });
    if (h.exitCode !== 0) {
      return { id: 'python-version', isolated: null, summary: `inside: Python ${inside.version}; host has no python3 to compare`, evidence: { inside } };
    }
    const host = JSON.parse(h.stdout.trim()) as PyInfo;
    const shared = inside.build === host.build && inside.file.join(':') === host.file.join(':');
    return {
      id: 'python-version',
      isolated: !shared,
      summary: shared
        ? `the host's interpreter: Python ${inside.version}`
        : `its own interpreter: Python ${inside.version} (host: Python ${host.version})`,
      evidence: { inside: inside.version, insideBuild: inside.build, host: host.version, hostBuild: host.build, sameBinary: inside.file.join(':') === host.file.join(':') },
    };
  },
};
