// Pure builders of Engine API specs: container create options, exec options, in-container argv.
import type { ContainerCreateOptions, ExecCreateOptions } from 'dockerode';
import { labels } from '../../lifecycle/labels.js';
import type { ExecOptions, StartOptions } from '../types.js';

/** Label naming the isobench environment a container belongs to. */
export const LABEL_ENV = 'isobench.env';

/** PID 1 of a kept-alive container: an idle Python that exits at once on SIGTERM. */
export const KEEP_ALIVE = ['python3', '-c', 'import signal, sys; signal.signal(signal.SIGTERM, lambda *_: sys.exit(0)); signal.pause()'];

/** Create options of a long-running container; published ports bind to 127.0.0.1 only. */
export function keepAliveCreateOptions(p: {
  image: string;
  runId: string;
  env: string;
  publish?: StartOptions['publish'];
  runtime?: string;
  network?: string;
}): ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  const network = p.network ?? 'bridge';
  // A container without a network has no port to publish (the port probe then says not measured).
  for (const { inside, host } of network === 'none' ? [] : p.publish ?? []) {
    exposed[`${inside}/tcp`] = {};
    (bindings[`${inside}/tcp`] ??= []).push({ HostIp: '127.0.0.1', HostPort: String(host) });
  }
  return {
    Image: p.image,
    Cmd: KEEP_ALIVE,
    Labels: { ...labels(p.runId), [LABEL_ENV]: p.env },
    ExposedPorts: exposed,
    StopTimeout: 5,
    HostConfig: { PortBindings: bindings, Privileged: false, NetworkMode: network, AutoRemove: false, ...(p.runtime ? { Runtime: p.runtime } : {}) },
  };
}

/** Create options of a one-shot container whose output is attached (docker run --rm IMAGE argv). */
export function oneShotCreateOptions(image: string, argv: string[], runId: string, on: { runtime?: string; network?: string } = {}): ContainerCreateOptions {
  return {
    Image: image,
    Cmd: argv,
    Labels: labels(runId),
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    HostConfig: { Privileged: false, NetworkMode: on.network ?? 'bridge', AutoRemove: false, ...(on.runtime ? { Runtime: on.runtime } : {}) },
  };
}

/** The argv to run in the container: python → python3, wrapped in coreutils timeout when one is given. */
export function containerArgv(argv: string[], timeoutMs?: number): string[] {
  if (argv.length === 0) throw new Error('exec: empty argv');
  const mapped = argv[0] === 'python' ? ['python3', ...argv.slice(1)] : [...argv];
  if (!timeoutMs) return mapped;
  return ['timeout', '-k', '2', `${Math.max(1, Math.ceil(timeoutMs / 1000))}`, ...mapped];
}

/** Exec create options: demuxed stdout/stderr, stdin only when there is input, extra env. */
export function execCreateOptions(argv: string[], opts: ExecOptions = {}): ExecCreateOptions {
  return {
    Cmd: containerArgv(argv, opts.timeoutMs),
    AttachStdout: true,
    AttachStderr: true,
    AttachStdin: opts.input !== undefined,
    Tty: false,
    Env: Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`),
  };
}

/** argv that records its shell pid in `pidFile` and then becomes argv (so a background exec can be stopped). */
export function backgroundArgv(argv: string[], pidFile: string): string[] {
  return ['sh', '-c', 'echo $$ > "$0"; exec "$@"', pidFile, ...containerArgv(argv)];
}
