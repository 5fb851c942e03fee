// The cloud-init NoCloud seed builder (cloud images cannot be booted offline; the seed is checked here).
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { nocloudSeed, seedIsoArgv } from '../../src/drivers/vm/cloud-init.js';
import { AGENT_SOURCE } from '../../src/drivers/vm/guest-agent.js';
import { vmConfig } from '../../src/drivers/vm/config.js';

const seed = nocloudSeed({ instanceId: 'iid-isobench-run1', hostname: 'isobench-guest', packages: ['requests'] });

describe('nocloudSeed', () => {
  it('writes meta-data with the instance id and hostname', () => {
    expect(parse(seed['meta-data'])).toEqual({ 'instance-id': 'iid-isobench-run1', 'local-hostname': 'isobench-guest' });
  });

  it('writes #cloud-config user-data that builds the venv with the packages and runs the agent', () => {
    expect(seed['user-data'].split('\n')[0]).toBe('#cloud-config');
    const ud = parse(seed['user-data']) as { packages: string[]; write_files: { path: string; content: string }[]; runcmd: string[][] };
    expect(ud.packages).toContain('python3-venv');
    expect(ud.runcmd[0]).toEqual(['python3', '-m', 'venv', '/opt/isobench/venv']);
    expect(ud.runcmd[1]).toEqual(expect.arrayContaining(['/opt/isobench/venv/bin/pip', 'install', 'requests']));
    expect(ud.runcmd[2]).toEqual(['systemctl', 'enable', '--now', 'isobench-agent.service']);
    const agent = ud.write_files.find((f) => f.path === '/opt/isobench/agent.py')!;
    expect(Buffer.from(agent.content, 'base64').toString()).toBe(AGENT_SOURCE);
  });
});

describe('seedIsoArgv', () => {
  it('labels the ISO cidata with genisoimage and xorriso, and hands cloud-localds the two files', () => {
    expect(seedIsoArgv('genisoimage', '/w/seed.iso', '/w/seed')).toEqual([
      'genisoimage', '-output', '/w/seed.iso', '-volid', 'cidata', '-joliet', '-rock', '/w/seed/user-data', '/w/seed/meta-data',
    ]);
    expect(seedIsoArgv('xorriso', '/w/seed.iso', '/w/seed').slice(0, 3)).toEqual(['xorriso', '-as', 'genisoimage']);
    expect(seedIsoArgv('cloud-localds', '/w/seed.iso', '/w/seed')).toEqual(['cloud-localds', '/w/seed.iso', '/w/seed/user-data', '/w/seed/meta-data']);
  });
});

describe('vm config', () => {
  it('defaults to the offline QEMU guest with accel auto', () => {
    expect(vmConfig.parse({})).toMatchObject({ backend: 'qemu', accel: 'auto', image: 'offline', diskGiB: 4, kvmTrialSec: 25 });
  });
  it('needs a url and sha256 for image: cloud, naming the field', () => {
    const r = vmConfig.safeParse({ image: 'cloud' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['cloud']);
    expect(vmConfig.safeParse({ image: 'cloud', cloud: { url: 'https://example.invalid/d.qcow2', sha256: 'a'.repeat(64) } }).success).toBe(true);
    expect(vmConfig.safeParse({ image: 'cloud', cloud: { url: 'https://example.invalid/d.qcow2', sha256: 'xyz' } }).success).toBe(false);
  });
});
