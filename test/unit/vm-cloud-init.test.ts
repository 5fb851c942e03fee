// The cloud-init NoCloud seed builder and the cloud image's cache naming (a cloud image cannot be booted here).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema } from '../../src/config/schema.js';
import { guestPipArgv, nocloudSeed, provisionScript, seedIsoArgv, type CloudSeedSpec } from '../../src/drivers/vm/cloud-init.js';
import { cloudImageName, cloudImagePath } from '../../src/drivers/vm/cloud-image.js';
import { AGENT_SOURCE } from '../../src/drivers/vm/guest-agent.js';
import { READY_MARKER } from '../../src/drivers/vm/guest-init.js';
import { vmConfig } from '../../src/drivers/vm/config.js';

const pip = configSchema.parse({}).pip;
const spec: CloudSeedSpec = { instanceId: 'iid-isobench-run1-vm-qemu-1', hostname: 'isobench-guest', packages: ['requests'], pip, wheelsInSeed: false };
const seed = nocloudSeed(spec);

interface UserData {
  package_update: boolean;
  packages: string[];
  write_files: { path: string; content: string; encoding?: string }[];
  runcmd: string[][];
}
const userData = (s = seed) => parse(s['user-data']) as UserData;
const file = (ud: UserData, path: string) => ud.write_files.find((f) => f.path === path)!.content;

describe('nocloudSeed', () => {
  it('writes meta-data with the instance id and hostname', () => {
    expect(parse(seed['meta-data'])).toEqual({ 'instance-id': 'iid-isobench-run1-vm-qemu-1', 'local-hostname': 'isobench-guest' });
  });

  it('writes #cloud-config user-data: python3-venv from apt, the offline guest\'s agent, its service, and one provisioning script', () => {
    expect(seed['user-data'].split('\n')[0]).toBe('#cloud-config');
    const ud = userData();
    expect(ud.package_update).toBe(true);
    expect(ud.packages).toEqual(['python3-venv']);
    expect(Buffer.from(file(ud, '/opt/isobench/agent.py'), 'base64').toString()).toBe(AGENT_SOURCE);
    const unit = file(ud, '/etc/systemd/system/isobench-agent.service');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/python3 \/opt\/isobench\/agent\.py$/m);
    expect(unit).toMatch(/^EnvironmentFile=-\/run\/isobench-agent\.env$/m);
    expect(file(ud, '/opt/isobench/provision.sh')).toBe(provisionScript(spec));
    expect(ud.runcmd).toEqual([['sh', '/opt/isobench/provision.sh']]);
  });
});

describe('provisionScript', () => {
  const lines = provisionScript(spec).split('\n');
  const at = (re: RegExp) => lines.findIndex((l) => re.test(l));

  it('is valid sh', () => {
    expect(() => execFileSync('sh', ['-n'], { input: provisionScript(spec) })).not.toThrow();
    expect(() => execFileSync('sh', ['-n'], { input: provisionScript({ ...spec, wheelsInSeed: true }) })).not.toThrow();
  });

  it('makes the venv, times pip install from the network, then writes the readiness marker to the serial console, then starts the agent', () => {
    const venv = at(/^python3 -m venv \/opt\/isobench\/venv$/);
    const pipLine = at(/ -m pip install /);
    const marker = at(new RegExp(`^echo "${READY_MARKER} init_uptime=\\$ISOBENCH_INIT_UPTIME uptime=\\$UP" > /dev/ttyS0$`));
    const agent = at(/^systemctl enable --now isobench-agent\.service$/);
    expect([venv, pipLine, marker, agent].every((i) => i > 0)).toBe(true);
    expect(venv < pipLine && pipLine < marker && marker < agent).toBe(true);
    expect(lines[pipLine]).toBe('/opt/isobench/venv/bin/python -m pip install --disable-pip-version-check --no-input --no-cache-dir requests');
    expect(lines[pipLine + 2]).toBe('echo $(( (t1 - t0) / 1000000 )) > /opt/isobench/install.ms');
    expect(lines.join('\n')).not.toMatch(/mount/);
  });

  it('gives the agent the time PID 1 started, as the offline init does', () => {
    expect(lines.join('\n')).toMatch(/\/proc\/1\/stat/);
    expect(lines).toContain('echo "ISOBENCH_INIT_UPTIME=$ISOBENCH_INIT_UPTIME" > /run/isobench-agent.env');
  });

  it('with the wheelhouse in the seed: mounts the seed by label and installs from its wheels, offline', () => {
    const text = provisionScript({ ...spec, wheelsInSeed: true });
    expect(text).toMatch(/^mount -o ro \/dev\/disk\/by-label\/cidata \/mnt\/isobench-seed$/m);
    expect(text).toMatch(/ -m pip install .*--no-index --find-links \/mnt\/isobench-seed\/wheels requests$/m);
    expect(text).toMatch(/^umount \/mnt\/isobench-seed$/m);
  });
});

describe('guestPipArgv', () => {
  it('keeps the config\'s index and URL find-links, drops host folders, and quotes nothing itself', () => {
    const argv = guestPipArgv({ packages: ['requests'], wheelsInSeed: false, pip: { ...pip, indexUrl: 'https://pypi.example/simple', findLinks: ['/host/wheels', 'https://w.example/'], extraArgs: ['--pre'] } });
    expect(argv).toEqual([
      '/opt/isobench/venv/bin/python', '-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--no-cache-dir',
      '--index-url', 'https://pypi.example/simple', '--find-links', 'https://w.example/', '--pre', 'requests',
    ]);
  });
  it('replaces the host wheelhouse with the seed\'s copy', () => {
    const argv = guestPipArgv({ packages: ['requests'], wheelsInSeed: true, pip: { ...pip, wheelhouse: '/host/wh' } });
    expect(argv.join(' ')).toContain('--no-index --find-links /mnt/isobench-seed/wheels');
    expect(argv.join(' ')).not.toContain('/host/wh');
  });
});

describe('seedIsoArgv', () => {
  it('labels the ISO cidata with genisoimage and xorriso (whole folder, Rock Ridge), and hands cloud-localds the two files', () => {
    expect(seedIsoArgv('genisoimage', '/w/seed.iso', '/w/seed')).toEqual(['genisoimage', '-quiet', '-output', '/w/seed.iso', '-volid', 'cidata', '-rock', '/w/seed']);
    expect(seedIsoArgv('xorriso', '/w/seed.iso', '/w/seed')).toEqual(['xorriso', '-as', 'genisoimage', '-quiet', '-output', '/w/seed.iso', '-volid', 'cidata', '-rock', '/w/seed']);
    expect(seedIsoArgv('cloud-localds', '/w/seed.iso', '/w/seed')).toEqual(['cloud-localds', '/w/seed.iso', '/w/seed/user-data', '/w/seed/meta-data']);
  });
});

describe('cloud image cache', () => {
  const cloud = { url: 'https://cloud.example/images/bookworm/debian-12-genericcloud-amd64.qcow2?x=1', sha256: 'ab'.repeat(32), format: 'qcow2' as const };
  it('caches by digest and format, and names the image by the URL\'s file name', () => {
    expect(cloudImagePath(cloud, '/c')).toBe(`/c/vm/cloud/${'ab'.repeat(32)}.qcow2`);
    expect(cloudImagePath({ ...cloud, format: 'raw' }, '/c')).toBe(`/c/vm/cloud/${'ab'.repeat(32)}.raw`);
    expect(cloudImageName(cloud)).toBe('cloud debian-12-genericcloud-amd64.qcow2');
  });
});

describe('vm config', () => {
  it('defaults to the offline QEMU guest with accel auto', () => {
    expect(vmConfig.parse({})).toMatchObject({ backend: 'qemu', accel: 'auto', image: 'offline', guests: ['full', 'micro'], tcgTbSizeMiB: 128, kvmTrialSec: 25 });
  });
  it('needs a url and sha256 for image: cloud, naming the field', () => {
    const r = vmConfig.safeParse({ image: 'cloud' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['cloud']);
    expect(vmConfig.safeParse({ image: 'cloud', cloud: { url: 'https://example.invalid/d.qcow2', sha256: 'a'.repeat(64) } }).success).toBe(true);
    expect(vmConfig.safeParse({ image: 'cloud', cloud: { url: 'https://example.invalid/d.qcow2', sha256: 'xyz' } }).success).toBe(false);
  });
});
