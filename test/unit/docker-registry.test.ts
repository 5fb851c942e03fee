// Pure parts of the registry path: references under a mirror, loopback URLs, pull failures in words, pip in the build, config.
import { describe, expect, it } from 'vitest';
import { baseReference, isLoopbackUrl, registryName, registryOf } from '../../src/drivers/docker/registry-ref.js';
import { explainPull, pullFailureLine } from '../../src/drivers/docker/pull-failure.js';
import { registryPipBuild } from '../../src/drivers/docker/images.js';
import { parseConfig } from '../../src/config/load.js';
import { simplePages, normalizeProject } from '../helpers/simple-index.js';

describe('registry references', () => {
  it('finds the registry of a reference the way Docker does (a dot, a port or localhost in the first part)', () => {
    expect(registryOf('python:3.9-slim')).toBeUndefined();
    expect(registryOf('someone/python:3.9')).toBeUndefined();
    expect(registryOf('127.0.0.1:5000/library/python:3.9-slim')).toBe('127.0.0.1:5000');
    expect(registryOf('reg.example/python')).toBe('reg.example');
    expect(registryOf('localhost/python')).toBe('localhost');
    expect(registryName('python:3.9-slim')).toBe('Docker Hub');
  });

  it('puts a Docker Hub image under a mirror at its library/ path; a full reference is kept', () => {
    expect(baseReference({ baseImage: 'python:3.9-slim' })).toBe('python:3.9-slim');
    expect(baseReference({ baseImage: 'python:3.9-slim', registry: '127.0.0.1:5000' })).toBe('127.0.0.1:5000/library/python:3.9-slim');
    expect(baseReference({ baseImage: 'someone/py:1', registry: 'mirror.example/hub/' })).toBe('mirror.example/hub/someone/py:1');
    expect(baseReference({ baseImage: '127.0.0.1:5000/python:3.9-slim' })).toBe('127.0.0.1:5000/python:3.9-slim');
  });

  it('knows loopback URLs', () => {
    expect(isLoopbackUrl('http://127.0.0.1:8080/simple/')).toBe(true);
    expect(isLoopbackUrl('http://127.1.2.3/simple/')).toBe(true);
    expect(isLoopbackUrl('http://localhost/simple/')).toBe(true);
    expect(isLoopbackUrl('http://[::1]:3141/simple/')).toBe(true);
    expect(isLoopbackUrl('https://pypi.example/simple/')).toBe(false);
    expect(isLoopbackUrl('not a url')).toBe(false);
  });
});

describe('pip inside the document\'s Dockerfile build', () => {
  it('passes pip.indexUrl as PIP_INDEX_URL, with host networking only for a loopback index', () => {
    expect(registryPipBuild({})).toEqual({ buildArgs: {} });
    expect(registryPipBuild({ indexUrl: 'http://127.0.0.1:3141/simple/' })).toEqual({ buildArgs: { PIP_INDEX_URL: 'http://127.0.0.1:3141/simple/' }, networkmode: 'host' });
    expect(registryPipBuild({ indexUrl: 'https://pypi.example/simple/' })).toEqual({ buildArgs: { PIP_INDEX_URL: 'https://pypi.example/simple/' } });
  });
});

describe('pull failures in words', () => {
  const local = '127.0.0.1:5000/library/python:3.9-slim';
  it('an unknown tag names the image in the registry and the fix', () => {
    const f = explainPull('127.0.0.1:5000/library/python:3.8', '(HTTP code 404) unexpected - manifest for 127.0.0.1:5000/library/python:3.8 not found: manifest unknown: manifest unknown');
    expect(f.cause).toBe('the registry 127.0.0.1:5000 has no image library/python:3.8 (manifest unknown)');
    expect(f.fix).toBe('push it there or correct environments.docker.baseImage / registry');
  });

  it('a registry that is down before the pull, and one that stops during it', () => {
    const refused = '(HTTP code 500) server error - Get "http://127.0.0.1:5000/v2/": dial tcp 127.0.0.1:5000: connect: connection refused';
    expect(explainPull(local, refused).cause).toBe('the registry 127.0.0.1:5000 cannot be reached (connection refused)');
    expect(explainPull(local, refused).fix).toMatch(/^start the registry at 127\.0\.0\.1:5000/);
    const mid = explainPull(local, 'read tcp 127.0.0.1:1->127.0.0.1:5000: read: connection reset by peer', { layersStarted: true, bytes: 12_345_678 });
    expect(mid.cause).toBe('the registry 127.0.0.1:5000 stopped answering in the middle of the pull after 12.3 MB (connection reset)');
    expect(pullFailureLine(local, mid)).toBe(`cannot pull ${local}: ${mid.cause}; check that the registry is up and run again`);
  });

  it('Docker Hub is named by name, never by address', () => {
    const dns = '(HTTP code 500) server error - Get "https://reg.example/v2/": dial tcp: lookup reg.example on 10.0.0.53:53: no such host';
    const f = explainPull('python:3.9-slim', dns);
    expect(f.cause).toBe("Docker Hub's name does not resolve: no network to it");
    expect(f.fix).toMatch(/environments\.docker\.registry/);
    const odd = explainPull('python:3.9-slim', 'Get "https://reg.example/v2/": weird failure');
    expect(odd.cause).toBe('Docker Hub: Get <registry>: weird failure');
    expect(explainPull('python:3.9-slim', 'pull access denied for x').cause).toBe('Docker Hub refuses access to python');
  });

  it('a plain-HTTP registry off loopback needs dockerd\'s insecure-registries', () => {
    const f = explainPull('reg.lan:5000/python:3.9-slim', 'Get "https://reg.lan:5000/v2/": http: server gave HTTP response to HTTPS client');
    expect(f.fix).toBe('add "reg.lan:5000" to "insecure-registries" in dockerd\'s daemon.json, or serve the registry over TLS');
  });
});

describe('config: environments.docker.registry', () => {
  const parse = (docker: string) => parseConfig(`environments:\n  docker:\n${docker}`, 'c.yaml').environments.docker;
  it('accepts host:port, host/path and localhost', () => {
    expect(parse('    registry: "127.0.0.1:5000"\n').registry).toBe('127.0.0.1:5000');
    expect(parse('    registry: mirror.example/hub\n').registry).toBe('mirror.example/hub');
    expect(parse('    registry: localhost\n').registry).toBe('localhost');
  });
  it('rejects a scheme or a bare word (Docker would take it for a Docker Hub user), naming the line', () => {
    expect(() => parse('    registry: http://127.0.0.1:5000\n')).toThrow(
      'environments.docker.registry: expected a registry as host:port or host[/path] without a scheme (e.g. 127.0.0.1:5000), got "http://127.0.0.1:5000" (c.yaml:3)',
    );
    expect(() => parse('    registry: mirror\n')).toThrow(/environments\.docker\.registry: expected a registry/);
  });
  it('rejects a registry beside a baseImage that names its own', () => {
    expect(() => parse('    baseImage: 127.0.0.1:5000/python:3.9-slim\n    registry: "127.0.0.1:6000"\n')).toThrow(
      /^environments\.docker\.registry: expected no registry: baseImage 127\.0\.0\.1:5000\/python:3\.9-slim already names its registry 127\.0\.0\.1:5000; remove one of the two, got "127\.0\.0\.1:6000" \(c\.yaml:4\)$/,
    );
  });
});

describe('the test index (PEP 503 pages from a wheelhouse)', () => {
  it('normalizes project names and links each wheel with its hash', () => {
    expect(normalizeProject('charset_normalizer')).toBe('charset-normalizer');
    const pages = simplePages([{ file: 'charset_normalizer-3.4.0-py3-none-any.whl', sha256: 'ab' }]);
    expect(pages.get('/simple/')).toContain('<a href="/simple/charset-normalizer/">charset-normalizer</a>');
    expect(pages.get('/simple/charset-normalizer/')).toContain('href="/files/charset_normalizer-3.4.0-py3-none-any.whl#sha256=ab"');
  });
});
