// os-release: is the userspace's /etc/os-release the host's own file, or a copy of the environment's own?
// (A Debian container on a Debian host has the same release text, yet its own root filesystem.)
import { readFile, stat } from 'node:fs/promises';
import { parseOsRelease } from '../measure/host.js';
import { pyJson } from './exec-json.js';
import type { Probe } from './types.js';

const READ = `import json, os
try:
    text = open("/etc/os-release").read()
    st = os.stat("/etc/os-release")
    ident = [st.st_dev, st.st_ino, st.st_mtime_ns]
except OSError:
    text, ident = "", None
print(json.dumps({"text": text, "ident": ident}))`;

interface FileView {
  text: string;
  ident: number[] | null;
}

async function hostView(): Promise<FileView> {
  const text = await readFile('/etc/os-release', 'utf8').catch(() => '');
  const st = await stat('/etc/os-release', { bigint: true }).catch(() => undefined);
  return { text, ident: st ? [Number(st.dev), Number(st.ino), Number(st.mtimeNs)] : null };
}

export const osReleaseProbe: Probe = {
  id: 'os-release',
  title: 'Operating system userspace (/etc/os-release)',
  appliesTo: ['venv', 'docker', 'vm'],
  async run({ driver, a, placement }) {
    const inside = await pyJson<FileView>(driver, a, READ);
    const host = await hostView();
    const insideName = parseOsRelease(inside.text).PRETTY_NAME ?? 'unknown';
    const hostName = parseOsRelease(host.text).PRETTY_NAME ?? 'unknown';
    if (!placement.sameMachine) {
      return { id: 'os-release', isolated: null, summary: `${insideName} inside; not compared with this machine's file: ${placement.reason}`, evidence: { inside: insideName } };
    }
    const sameText = inside.text === host.text;
    const sameFile = sameText && JSON.stringify(inside.ident) === JSON.stringify(host.ident);
    const summary = sameFile
      ? `the host's own /etc/os-release: ${insideName}`
      : sameText
        ? `its own copy of /etc/os-release (another file with the host's text: ${insideName})`
        : `its own userspace: ${insideName} (host: ${hostName})`;
    return {
      id: 'os-release',
      isolated: !sameFile,
      summary,
      evidence: { inside: insideName, host: hostName, sameText, insideFile: inside.ident, hostFile: host.ident },
    };
  },
};
