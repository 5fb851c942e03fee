import { describe, expect, it } from 'vitest';
import {
  backgroundArgv,
  containerArgv,
  execCreateOptions,
  keepAliveCreateOptions,
  LABEL_ENV,
  oneShotCreateOptions,
} from '../../src/drivers/docker/container-spec.js';
import { LABEL_OWNER, LABEL_RUN, LABEL_VERSION } from '../../src/lifecycle/labels.js';

describe('keepAliveCreateOptions', () => {
  const spec = keepAliveCreateOptions({ image: 'img', runId: 'r1', env: 'docker-requests', publish: [{ inside: 8000, host: 18765 }] });
  it('labels the container with run, owner, version and env', () => {
    expect(spec.Labels).toMatchObject({ [LABEL_RUN]: 'r1', [LABEL_OWNER]: 'r1', [LABEL_ENV]: 'docker-requests' });
    expect(spec.Labels?.[LABEL_VERSION]).toBeTruthy();
  });
  it('publishes on 127.0.0.1 only', () => {
    expect(spec.HostConfig?.PortBindings).toEqual({ '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: '18765' }] });
    expect(spec.ExposedPorts).toEqual({ '8000/tcp': {} });
  });
  it('is neither privileged nor on the host network', () => {
    expect(spec.HostConfig?.Privileged).toBe(false);
    expect(spec.HostConfig?.NetworkMode).toBe('bridge');
  });
  it('keeps an interpreter alive that exits on SIGTERM', () => {
    expect(spec.Cmd?.[0]).toBe('python3');
    expect(String(spec.Cmd?.[2])).toContain('SIGTERM');
  });
  it('publishes nothing without publish', () => {
    expect(keepAliveCreateOptions({ image: 'img', runId: 'r', env: 'e' }).HostConfig?.PortBindings).toEqual({});
  });
});

describe('oneShotCreateOptions', () => {
  it('attaches output and labels the container', () => {
    const spec = oneShotCreateOptions('img', ['python3', '-V'], 'r2');
    expect(spec).toMatchObject({ Image: 'img', Cmd: ['python3', '-V'], AttachStdout: true, AttachStderr: true, Tty: false });
    expect(spec.Labels?.[LABEL_RUN]).toBe('r2');
    expect(spec.Labels?.[LABEL_OWNER]).toBe('r2');
  });
});

describe('containerArgv', () => {
  it("maps python to the image's python3", () => {
    expect(containerArgv(['python', '-c', 'pass'])).toEqual(['python3', '-c', 'pass']);
    expect(containerArgv(['sh', '-c', 'python'])).toEqual(['sh', '-c', 'python']);
  });
  it('wraps in coreutils timeout, rounding up to whole seconds', () => {
    expect(containerArgv(['sleep', '9'], 1_500)).toEqual(['timeout', '-k', '2', '2', 'sleep', '9']);
  });
  it('rejects an empty argv', () => {
    expect(() => containerArgv([])).toThrow(/empty argv/);
  });
});

describe('execCreateOptions', () => {
  it('attaches stdin only when there is input, and passes env', () => {
    expect(execCreateOptions(['cat'], { input: 'x', env: { A: '1' } })).toMatchObject({ AttachStdin: true, Env: ['A=1'], Tty: false });
    expect(execCreateOptions(['true']).AttachStdin).toBe(false);
  });
});

describe('backgroundArgv', () => {
  it('records the pid, then execs the mapped argv', () => {
    expect(backgroundArgv(['python', '-m', 'http.server'], '/tmp/p.pid')).toEqual([
      'sh', '-c', 'echo $$ > "$0"; exec "$@"', '/tmp/p.pid', 'python3', '-m', 'http.server',
    ]);
  });
});
