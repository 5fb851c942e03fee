// kernel: the kernel release seen inside against the host's (shared for venv and containers, own in a VM).
import { pyJson } from './exec-json.js';
import type { Probe } from './types.js';

export const kernelProbe: Probe = {
  id: 'kernel',
  title: 'Kernel version against the host',
  appliesTo: ['venv', 'docker', 'vm'],
  async run({ driver, a, host }) {
    const { release } = await pyJson<{ release: string }>(driver, a, 'import json, platform; print(json.dumps({"release": platform.release()}))');
    const isolated = release !== host.kernel;
    return {
      id: 'kernel',
      isolated,
      summary: isolated ? `own kernel ${release} (host runs ${host.kernel})` : `same kernel as the host: ${release}`,
      evidence: { inside: release, host: host.kernel },
    };
  },
};
