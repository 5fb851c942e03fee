import { describe, expect, it } from 'vitest';
import { contextDir, contextEndpoint, currentContext, dockerConfigDir, engineName, hostCandidates, modemOptions } from '../../src/drivers/docker/host.js';
import { buildStep, isCacheHit } from '../../src/drivers/docker/build.js';

const hosts = (c: ReturnType<typeof hostCandidates>) => c.hosts.map((h) => h.host);

describe('hostCandidates (the discovery order)', () => {
  const ctxColima = { name: 'colima', from: 'DOCKER_CONTEXT', endpoint: 'unix:///home/u/.colima/docker.sock' };
  it('uses only the flag / configured host when there is one, before DOCKER_HOST and a context', () => {
    const c = hostCandidates({ configHost: 'tcp://h:2375', env: { DOCKER_HOST: 'unix:///x.sock' }, home: '/home/u', context: ctxColima });
    expect(c).toEqual({ explicit: true, hosts: [{ host: 'tcp://h:2375', rule: '--docker-host / environments.docker.host' }] });
  });
  it('uses only DOCKER_HOST when the config names none, before a context', () => {
    const c = hostCandidates({ env: { DOCKER_HOST: 'unix:///x.sock' }, home: '/home/u', context: ctxColima });
    expect(c).toEqual({ explicit: true, hosts: [{ host: 'unix:///x.sock', rule: 'DOCKER_HOST' }] });
  });
  it("uses only the current context's endpoint, and names the context and where it came from", () => {
    const c = hostCandidates({ env: { XDG_RUNTIME_DIR: '/run/user/1000' }, home: '/home/u', context: ctxColima });
    expect(c).toEqual({ explicit: true, hosts: [{ host: 'unix:///home/u/.colima/docker.sock', rule: 'Docker context colima (DOCKER_CONTEXT)' }] });
  });
  it('a context without an endpoint is one unusable candidate that says why (no fallback to the sockets)', () => {
    const c = hostCandidates({ env: {}, home: '/home/u', context: { name: 'gone', from: 'DOCKER_CONTEXT', missing: 'no meta.json' } });
    expect(c.hosts).toEqual([{ host: 'context gone', rule: 'Docker context gone (DOCKER_CONTEXT)', unusable: 'no meta.json' }]);
  });
  it('tries the default, rootless Docker, Docker Desktop, rootless and rootful Podman sockets in that order', () => {
    const c = hostCandidates({ env: { XDG_RUNTIME_DIR: '/run/user/1000' }, home: '/home/u' });
    expect(c.explicit).toBe(false);
    expect(c.hosts).toEqual([
      { host: 'unix:///var/run/docker.sock', rule: 'the default socket' },
      { host: 'unix:///run/user/1000/docker.sock', rule: 'rootless Docker ($XDG_RUNTIME_DIR/docker.sock)' },
      { host: 'unix:///home/u/.docker/run/docker.sock', rule: 'Docker Desktop (~/.docker/run/docker.sock)' },
      { host: 'unix:///home/u/.docker/desktop/docker.sock', rule: 'Docker Desktop (~/.docker/desktop/docker.sock)' },
      { host: 'unix:///run/user/1000/podman/podman.sock', rule: 'rootless Podman ($XDG_RUNTIME_DIR/podman/podman.sock)' },
      { host: 'unix:///run/podman/podman.sock', rule: 'rootful Podman (/run/podman/podman.sock)' },
    ]);
  });
  it('without XDG_RUNTIME_DIR uses /run/user/UID for a non-root caller, and no runtime dir for root', () => {
    expect(hosts(hostCandidates({ env: {}, home: '/home/u', uid: 1001 }))).toContain('unix:///run/user/1001/podman/podman.sock');
    expect(hosts(hostCandidates({ env: {}, home: '/root', uid: 0 }))).toEqual([
      'unix:///var/run/docker.sock',
      'unix:///root/.docker/run/docker.sock',
      'unix:///root/.docker/desktop/docker.sock',
      'unix:///run/podman/podman.sock',
    ]);
  });
});

describe('the current Docker context', () => {
  it('DOCKER_CONTEXT wins over currentContext; "default" is no context', () => {
    const json = JSON.stringify({ currentContext: 'desk' });
    expect(currentContext({ DOCKER_CONTEXT: 'colima' }, json, '/h/.docker/config.json')).toEqual({ name: 'colima', from: 'DOCKER_CONTEXT' });
    expect(currentContext({ DOCKER_CONTEXT: 'default' }, json, '/h/.docker/config.json')).toBeUndefined();
    expect(currentContext({}, json, '/h/.docker/config.json')).toEqual({ name: 'desk', from: 'currentContext in /h/.docker/config.json' });
    expect(currentContext({}, JSON.stringify({ currentContext: 'default' }), '/c')).toBeUndefined();
    expect(currentContext({}, '{"auths":{}}', '/c')).toBeUndefined();
    expect(currentContext({}, 'not json', '/c')).toBeUndefined();
    expect(currentContext({}, undefined, '/c')).toBeUndefined();
  });
  it("its folder is the sha256 of its name, as the docker CLI stores it", () => {
    // printf default | sha256sum
    expect(contextDir('default')).toBe('37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f');
  });
  it('reads Endpoints.docker.Host from meta.json, or says what is missing', () => {
    const meta = { Name: 'x', Metadata: {}, Endpoints: { docker: { Host: 'unix:///tmp/x.sock', SkipTLSVerify: false } } };
    expect(contextEndpoint(JSON.stringify(meta))).toEqual({ endpoint: 'unix:///tmp/x.sock' });
    expect(contextEndpoint(JSON.stringify({ Endpoints: {} }))).toEqual({ missing: 'its meta.json names no Endpoints.docker.Host' });
    expect(contextEndpoint('{')).toMatchObject({ missing: expect.stringMatching(/^its meta.json is not JSON/) });
  });
  it('DOCKER_CONFIG moves the config folder', () => {
    expect(dockerConfigDir({ DOCKER_CONFIG: '/etc/dc' }, '/home/u')).toBe('/etc/dc');
    expect(dockerConfigDir({}, '/home/u')).toBe('/home/u/.docker');
  });
});

describe('engineName', () => {
  it('is Podman when /version lists a Podman component, else Docker', () => {
    expect(engineName({ Components: [{ Name: 'Podman Engine' }, { Name: 'Conmon' }] })).toBe('Podman');
    expect(engineName({ Components: [{ Name: 'Engine' }, { Name: 'containerd' }] })).toBe('Docker');
    expect(engineName({ Components: null })).toBe('Docker');
    expect(engineName(undefined)).toBe('Docker');
  });
});

describe('build output of both engines', () => {
  it("reads dockerd's and Podman's step and cache lines", () => {
    expect(buildStep('Step 2/5 : RUN pip install requests')).toBe('RUN pip install requests');
    expect(buildStep('STEP 2/5: RUN pip install requests')).toBe('RUN pip install requests');
    expect(buildStep('Successfully built 0123abcd')).toBeUndefined();
    expect(isCacheHit('---> Using cache')).toBe(true);
    expect(isCacheHit('--> Using cache 8f3ab2c1d')).toBe(true);
    expect(isCacheHit('--> 8f3ab2c1d')).toBe(false);
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

describe("doctor's engine row", () => {
  it('names what answered, the rule that chose it and what was tried before it', async () => {
    const { engineRow } = await import('../../src/commands/doctor.js');
    const facts = { 'docker.engine': 'Podman', 'docker.version': '4.3.1', 'docker.host': 'unix:///run/podman/podman.sock', 'docker.host.rule': 'rootful Podman (/run/podman/podman.sock)', 'docker.host.tried': 'unix:///var/run/docker.sock (the default socket): connect ENOENT' };
    expect(engineRow(facts).detail).toBe('Podman 4.3.1 answered at unix:///run/podman/podman.sock, chosen by: rootful Podman (/run/podman/podman.sock); tried before it: unix:///var/run/docker.sock (the default socket): connect ENOENT');
    expect(engineRow({ ...facts, 'docker.host.tried': '' }).detail).toMatch(/; the first address tried$/);
  });
});
