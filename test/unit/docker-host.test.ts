import { describe, expect, it } from 'vitest';
import { hostCandidates, modemOptions } from '../../src/drivers/docker/host.js';

describe('hostCandidates', () => {
  it('uses only the configured host when there is one', () => {
    expect(hostCandidates('tcp://h:2375', { DOCKER_HOST: 'unix:///x.sock' })).toEqual({ explicit: true, hosts: ['tcp://h:2375'] });
  });
  it('uses only DOCKER_HOST when the config names none', () => {
    expect(hostCandidates(undefined, { DOCKER_HOST: 'unix:///x.sock' })).toEqual({ explicit: true, hosts: ['unix:///x.sock'] });
  });
  it('tries the rootful, rootless and Podman sockets in that order', () => {
    expect(hostCandidates(undefined, { XDG_RUNTIME_DIR: '/run/user/1000' })).toEqual({
      explicit: false,
      hosts: [
        'unix:///var/run/docker.sock',
        'unix:///run/user/1000/docker.sock',
        'unix:///run/user/1000/podman/podman.sock',
        'unix:///run/podman/podman.sock',
      ],
    });
  });
  it('skips the rootless sockets without XDG_RUNTIME_DIR', () => {
    expect(hostCandidates(undefined, {}).hosts).toEqual(['unix:///var/run/docker.sock', 'unix:///run/podman/podman.sock']);
  });
});

describe('modemOptions', () => {
  it('maps unix sockets to socketPath', () => {
    expect(modemOptions('unix:///var/run/docker.sock')).toEqual({ socketPath: '/var/run/docker.sock' });
  });
  it('maps tcp to http, or https with DOCKER_TLS_VERIFY', () => {
    expect(modemOptions('tcp://10.0.0.2:2375')).toEqual({ protocol: 'http', host: '10.0.0.2', port: 2375 });
    expect(modemOptions('tcp://docker.example', { DOCKER_TLS_VERIFY: '1' })).toEqual({ protocol: 'https', host: 'docker.example', port: 2376 });
  });
  it('maps ssh with user and default port', () => {
    expect(modemOptions('ssh://me@box')).toEqual({ protocol: 'ssh', host: 'box', port: 22, username: 'me' });
  });
  it('names the bad value and the accepted forms', () => {
    expect(() => modemOptions('docker.sock')).toThrow(/"docker.sock".*unix:\/\/\/path/);
  });
});

describe('a lost Engine connection', () => {
  it('is explained with the cause and the fix, other errors are left alone', async () => {
    const { explainEngineError } = await import('../../src/drivers/docker/index.js');
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' });
    expect(explainEngineError(epipe)).toBe('the Docker daemon stopped answering (write EPIPE); check it is still running (docker info) and run isobench cleanup for what it left');
    expect(explainEngineError(new Error('image not found'))).toBeUndefined();
    expect(explainEngineError(Object.assign(new Error('no file'), { code: 'ENOENT', syscall: 'open' }))).toBeUndefined();
  });
});
