// Is the Docker daemon this machine? Decided from `docker info` and the address, with fakes of both.
import { describe, expect, it } from 'vitest';
import { dockerPlacement } from '../../src/drivers/docker/placement.js';

const local = { hostname: 'lab-pc', kernel: '6.1.0-18-amd64' };
const daemon = { address: 'unix:///var/run/docker.sock', name: 'lab-pc', kernel: '6.1.0-18-amd64', os: 'Debian GNU/Linux 12 (bookworm)' };

describe('dockerPlacement', () => {
  it('is this machine when the daemon reports its hostname and kernel, over a socket or a local tcp forward', () => {
    expect(dockerPlacement(daemon, local)).toMatchObject({ sameMachine: true });
    expect(dockerPlacement({ ...daemon, address: 'tcp://127.0.0.1:2375' }, local)).toMatchObject({ sameMachine: true });
  });

  it('is another machine over ssh://, whatever the daemon reports', () => {
    const p = dockerPlacement({ ...daemon, address: 'ssh://me@lab-pc' }, local);
    expect(p.sameMachine).toBe(false);
    expect(p.reason).toContain('SSH');
  });

  it('is another machine for Docker Desktop (its own VM)', () => {
    const p = dockerPlacement({ ...daemon, name: 'docker-desktop', kernel: '6.10.14-linuxkit', os: 'Docker Desktop' }, local);
    expect(p).toMatchObject({ sameMachine: false, reason: expect.stringContaining('Docker Desktop') });
  });

  it('is another machine when the kernel or the hostname differs (a remote tcp:// daemon, or isobench in a container)', () => {
    expect(dockerPlacement({ ...daemon, address: 'tcp://10.0.0.5:2375', kernel: '5.15.0-105-generic', name: 'build-box' }, local)).toMatchObject({
      sameMachine: false,
      reason: expect.stringContaining('kernel 5.15.0-105-generic'),
    });
    expect(dockerPlacement({ ...daemon, name: 'build-box' }, local)).toMatchObject({ sameMachine: false, reason: expect.stringContaining('"build-box"') });
  });
});
