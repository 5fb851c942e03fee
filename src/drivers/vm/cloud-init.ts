// Pure builders of a cloud-init NoCloud seed for a cloud image: meta-data, user-data, the seed ISO argv.
// The seed installs the benchmark's packages into a venv (from the network) and runs isobench's agent
// as a systemd service on the same virtio-serial port the offline guest uses.
import { stringify } from 'yaml';
import { AGENT_PATH, AGENT_SOURCE } from './guest-agent.js';
import { GUEST_VENV } from './guest-init.js';

export interface CloudSeedSpec {
  /** Changing it makes cloud-init run again on a reused disk: one per boot is safest. */
  instanceId: string;
  hostname: string;
  packages: string[];
}

export interface CloudSeed {
  'meta-data': string;
  'user-data': string;
}

const AGENT_UNIT = `[Unit]
Description=isobench guest agent
After=local-fs.target

[Service]
ExecStart=/usr/bin/python3 ${AGENT_PATH}
Restart=always

[Install]
WantedBy=multi-user.target
`;

/** meta-data and user-data (#cloud-config) of the NoCloud seed. */
export function nocloudSeed(spec: CloudSeedSpec): CloudSeed {
  const userData = {
    hostname: spec.hostname,
    packages: ['python3-venv'],
    write_files: [
      { path: AGENT_PATH, permissions: '0755', encoding: 'b64', content: Buffer.from(AGENT_SOURCE).toString('base64') },
      { path: '/etc/systemd/system/isobench-agent.service', permissions: '0644', content: AGENT_UNIT },
    ],
    runcmd: [
      ['python3', '-m', 'venv', GUEST_VENV],
      [`${GUEST_VENV}/bin/pip`, 'install', '--no-cache-dir', '--disable-pip-version-check', ...spec.packages],
      ['systemctl', 'enable', '--now', 'isobench-agent.service'],
    ],
  };
  return {
    'meta-data': stringify({ 'instance-id': spec.instanceId, 'local-hostname': spec.hostname }),
    'user-data': `#cloud-config\n${stringify(userData)}`,
  };
}

export type SeedTool = 'cloud-localds' | 'genisoimage' | 'xorriso';

/**
 * argv writing the seed ISO (volume label cidata) from a folder holding the files `user-data` and
 * `meta-data`, with whichever tool is installed.
 */
export function seedIsoArgv(tool: SeedTool, out: string, dir: string): string[] {
  const userData = `${dir}/user-data`;
  const metaData = `${dir}/meta-data`;
  const iso = ['-output', out, '-volid', 'cidata', '-joliet', '-rock', userData, metaData];
  if (tool === 'cloud-localds') return ['cloud-localds', out, userData, metaData];
  if (tool === 'genisoimage') return ['genisoimage', ...iso];
  return ['xorriso', '-as', 'genisoimage', ...iso];
}
