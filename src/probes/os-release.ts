// os-release: the userspace's /etc/os-release against the host's.
import { hostOsRelease, parseOsRelease } from '../measure/host.js';
import { pyJson } from './exec-json.js';
import type { Probe } from './types.js';

const READ = `import json
try:
    text = open("/etc/os-release").read()
except OSError as e:
    text = ""
print(json.dumps({"text": text}))`;

export const osReleaseProbe: Probe = {
  id: 'os-release',
  title: 'Operating system userspace (/etc/os-release)',
  appliesTo: ['venv', 'docker', 'vm'],
  async run({ driver, a }) {
    const inside = parseOsRelease((await pyJson<{ text: string }>(driver, a, READ)).text);
    const host = await hostOsRelease();
    const key = (r: Record<string, string>) => `${r.ID ?? '?'} ${r.VERSION_ID ?? ''} ${r.PRETTY_NAME ?? ''}`.trim();
    const isolated = key(inside) !== key(host);
    return {
      id: 'os-release',
      isolated,
      summary: isolated
        ? `own userspace: ${inside.PRETTY_NAME ?? 'unknown'} (host: ${host.PRETTY_NAME ?? 'unknown'})`
        : `the host's userspace: ${inside.PRETTY_NAME ?? 'unknown'}`,
      evidence: { inside: inside.PRETTY_NAME ?? null, insideId: key(inside), host: host.PRETTY_NAME ?? null, hostId: key(host) },
    };
  },
};
