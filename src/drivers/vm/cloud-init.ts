// Pure builders of a cloud-init NoCloud seed for a cloud image: meta-data, user-data, the seed ISO argv.
// The seed installs the benchmark's packages into a venv (from the network, or from a wheelhouse
// carried in the seed), runs isobench's agent as a systemd service on the same virtio-serial port
// the offline guest uses, and writes the offline guest's readiness marker to the serial console.
import { stringify } from 'yaml';
import type { PipConfig } from '../../config/schema.js';
import { pipInstallArgv } from '../venv/pip.js';
import { AGENT_PATH, AGENT_SOURCE } from './guest-agent.js';
import { GUEST_VENV, READY_MARKER } from './guest-init.js';
import { shellQuote } from './vagrant-args.js';

export interface CloudSeedSpec {
  /** Changing it makes cloud-init run again on a reused disk: one per boot is safest. */
  instanceId: string;
  hostname: string;
  packages: string[];
  pip: PipConfig;
  /** The wheelhouse's wheels are in the seed under SEED_WHEELS_DIR/: pip installs from them, offline. */
  wheelsInSeed: boolean;
}

export interface CloudSeed {
  'meta-data': string;
  'user-data': string;
}

/** The seed ISO's volume label (what NoCloud looks for). */
export const SEED_LABEL = 'cidata';
/** Folder of the seed holding the wheelhouse, when it carries one. */
export const SEED_WHEELS_DIR = 'wheels';
/** Where the guest mounts the seed to install from its wheels. */
const SEED_MOUNT = '/mnt/isobench-seed';
/** The provisioning script cloud-init runs (runcmd). */
const PROVISION_PATH = '/opt/isobench/provision.sh';
/** Where the guest records how long its `pip install` took (ms), for the install step. */
export const INSTALL_MS_PATH = '/opt/isobench/install.ms';
/** The agent's environment: ISOBENCH_INIT_UPTIME, as the offline init exports it. */
const AGENT_ENV_PATH = '/run/isobench-agent.env';

const AGENT_UNIT = `[Unit]
Description=isobench guest agent
After=local-fs.target

[Service]
EnvironmentFile=-${AGENT_ENV_PATH}
ExecStart=/usr/bin/python3 ${AGENT_PATH}
Restart=always

[Install]
WantedBy=multi-user.target
`;

/** The guest's pip install argv: the config's pip options, with the wheelhouse replaced by the seed's copy. */
export function guestPipArgv(spec: Pick<CloudSeedSpec, 'packages' | 'pip' | 'wheelsInSeed'>): string[] {
  const pip: PipConfig = {
    ...spec.pip,
    wheelhouse: spec.wheelsInSeed ? `${SEED_MOUNT}/${SEED_WHEELS_DIR}` : undefined,
    // host folders are not in the guest; URLs are
    findLinks: spec.pip.findLinks.filter((f) => /^https?:\/\//.test(f)),
  };
  return pipInstallArgv(`${GUEST_VENV}/bin/python`, spec.packages, pip);
}

/**
 * The provisioning script: venv, timed pip install, the agent's ISOBENCH_INIT_UPTIME (when PID 1
 * started, from /proc/1/stat), the readiness marker on ttyS0, then the agent service.
 */
export function provisionScript(spec: Pick<CloudSeedSpec, 'packages' | 'pip' | 'wheelsInSeed'>): string {
  const mount = spec.wheelsInSeed ? [`mkdir -p ${SEED_MOUNT}`, `mount -o ro /dev/disk/by-label/${SEED_LABEL} ${SEED_MOUNT}`] : [];
  return [
    '#!/bin/sh',
    '# isobench: the venv with the packages, the agent, the readiness marker (cloud-init runcmd, once per instance).',
    'set -e',
    `trap '[ $? -eq 0 ] || echo "isobench-provision: failed, see /var/log/cloud-init-output.log" > /dev/ttyS0' EXIT`,
    ...mount,
    `python3 -m venv ${GUEST_VENV}`,
    't0=$(date +%s%N)',
    guestPipArgv(spec).map(shellQuote).join(' '),
    't1=$(date +%s%N)',
    `echo $(( (t1 - t0) / 1000000 )) > ${INSTALL_MS_PATH}`,
    ...(spec.wheelsInSeed ? [`umount ${SEED_MOUNT}`] : []),
    `ISOBENCH_INIT_UPTIME=$(awk -v t="$(cut -d' ' -f22 /proc/1/stat)" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }')`,
    `echo "ISOBENCH_INIT_UPTIME=$ISOBENCH_INIT_UPTIME" > ${AGENT_ENV_PATH}`,
    'read UP _ < /proc/uptime',
    `echo "${READY_MARKER} init_uptime=$ISOBENCH_INIT_UPTIME uptime=$UP" > /dev/ttyS0`,
    'systemctl enable --now isobench-agent.service',
    '',
  ].join('\n');
}

/** meta-data and user-data (#cloud-config) of the NoCloud seed. */
export function nocloudSeed(spec: CloudSeedSpec): CloudSeed {
  const userData = {
    hostname: spec.hostname,
    package_update: true,
    packages: ['python3-venv'],
    write_files: [
      { path: AGENT_PATH, permissions: '0755', encoding: 'b64', content: Buffer.from(AGENT_SOURCE).toString('base64') },
      { path: '/etc/systemd/system/isobench-agent.service', permissions: '0644', content: AGENT_UNIT },
      { path: PROVISION_PATH, permissions: '0755', content: provisionScript(spec) },
    ],
    runcmd: [['sh', PROVISION_PATH]],
  };
  return {
    'meta-data': stringify({ 'instance-id': spec.instanceId, 'local-hostname': spec.hostname }),
    'user-data': `#cloud-config\n${stringify(userData, { blockQuote: 'literal', lineWidth: 0 })}`,
  };
}

export type SeedTool = 'cloud-localds' | 'genisoimage' | 'xorriso';

/**
 * argv writing the seed ISO (volume label cidata) from a folder holding `user-data`, `meta-data`
 * and maybe SEED_WHEELS_DIR/, with whichever tool is installed. genisoimage and xorriso take the
 * whole folder (Rock Ridge keeps wheels' long names); cloud-localds only takes the two files.
 */
export function seedIsoArgv(tool: SeedTool, out: string, dir: string): string[] {
  if (tool === 'cloud-localds') return ['cloud-localds', out, `${dir}/user-data`, `${dir}/meta-data`];
  const iso = ['-output', out, '-volid', SEED_LABEL, '-rock', dir];
  return tool === 'genisoimage' ? ['genisoimage', '-quiet', ...iso] : ['xorriso', '-as', 'genisoimage', '-quiet', ...iso];
}
