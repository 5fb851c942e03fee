// Running containers: start (kept alive, labelled, ports on 127.0.0.1), exec, background exec, stop.
import { PassThrough, type Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { backgroundArgv, execCreateOptions, keepAliveCreateOptions } from './container-spec.js';
import { gone } from './run-once.js';
import { OutputWatch } from '../output-watch.js';
import type { DockerEnv, DockerInstance } from './types.js';
import type { Background, DriverContext, ExecOptions, ExecResult, StartOptions } from '../types.js';

/** Creates and starts a kept-alive container of env's image; its removal is on ctx.cleanup from creation on. */
export async function startContainer(docker: Docker, env: DockerEnv, ctx: DriverContext, opts: StartOptions = {}): Promise<DockerInstance> {
  const t0 = performance.now();
  const container = await docker.createContainer(
    keepAliveCreateOptions({ image: env.image, runId: ctx.runId, env: env.name, publish: opts.publish, runtime: env.runtime, network: env.network }),
  );
  const short = container.id.slice(0, 12);
  const removal = ctx.cleanup.push(`container ${short} (${env.name})`, () => container.remove({ force: true }).catch(gone));
  // One removal in flight for every caller; SIGINT/SIGTERM remove the container at once, ending a command running in it.
  let removing: Promise<void> | undefined;
  const remove = () => (removing ??= (ctx.signal.removeEventListener('abort', onAbort), removal()));
  function onAbort() {
    remove().catch(() => undefined);
  }
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const create = performance.now() - t0;
  try {
    await container.start();
  } catch (err) {
    await remove().catch(() => undefined);
    const ports = (opts.publish ?? []).map((p) => `127.0.0.1:${p.host}->${p.inside}`).join(', ');
    const hint = /port is already allocated|address already in use/i.test((err as Error).message)
      ? `; host port taken (${ports}): stop what listens there or choose another port (probePort)`
      : '';
    throw new Error(`docker start ${env.image}: ${engineMessage(err)}${hint}`);
  }
  const defaultTimeoutMs = ctx.config.timeouts.stepSec * 1000;
  return { env, id: container.id, phases: { create, started: performance.now() - t0 }, docker, defaultTimeoutMs, remove };
}

/** Stops and removes the instance's container; idempotent. */
export async function stopContainer(inst: DockerInstance): Promise<void> {
  await inst.remove();
}

/** Runs argv through the exec API: demuxed output, exit code from exec inspect, timeout via coreutils timeout. */
export async function execIn(inst: DockerInstance, argv: string[], given: ExecOptions = {}): Promise<ExecResult> {
  const opts = { ...given, timeoutMs: given.timeoutMs ?? inst.defaultTimeoutMs };
  const t0 = performance.now();
  const exec = await inst.docker.getContainer(inst.id).exec(execCreateOptions(argv, opts));
  const stream = (await exec.start({ hijack: true, stdin: opts.input !== undefined })) as Duplex;
  const out = collect(inst.docker, stream);
  if (opts.input !== undefined) stream.end(opts.input);
  let timer: NodeJS.Timeout | undefined;
  const hardDeadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), opts.timeoutMs + 5_000)));
  const late = (await Promise.race([out.done, hardDeadline])) === 'late';
  clearTimeout(timer);
  if (late) stream.destroy();
  const { ExitCode } = await exec.inspect();
  const durationMs = performance.now() - t0;
  const exitCode = late ? -1 : ExitCode ?? -1;
  const timedOut = late || (durationMs >= opts.timeoutMs && (exitCode === 124 || exitCode === 137));
  return { exitCode, stdout: out.stdout(), stderr: out.stderr(), durationMs, timedOut };
}

/** Starts argv as a background exec; waitFor() watches its output, stop() kills it by the pid it recorded. */
export async function spawnIn(inst: DockerInstance, argv: string[], opts: ExecOptions = {}): Promise<Background> {
  const pidFile = `/tmp/isobench-bg-${randomBytes(4).toString('hex')}.pid`;
  const exec = await inst.docker.getContainer(inst.id).exec(execCreateOptions(backgroundArgv(argv, pidFile), { env: opts.env }));
  const stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
  const watch = new OutputWatch();
  const out = collect(inst.docker, stream, (c) => watch.push(c));
  let exited = false;
  void out.done.then(() => ((exited = true), watch.close(`background ${argv.join(' ')} exited`)));
  const kill = (signal: string) => execIn(inst, ['sh', '-c', `kill -${signal} "$(cat "$0")" 2>/dev/null`, pidFile], { timeoutMs: 10_000 });
  let stopped: Promise<void> | undefined;
  return {
    waitFor: (pattern, timeoutMs) => watch.waitFor(pattern, timeoutMs),
    stop: () =>
      (stopped ??= (async () => {
        if (exited) return;
        await kill('TERM');
        const hard = setTimeout(() => void kill('KILL'), 3_000);
        await Promise.race([out.done, new Promise((r) => setTimeout(r, 8_000))]);
        clearTimeout(hard);
        stream.destroy();
      })()),
  };
}

/** Where a file the container wrote at `path` lives on the engine's host: its overlay upper layer (GraphDriver UpperDir). */
export async function upperPath(inst: DockerInstance, path: string): Promise<{ path: string } | { none: string }> {
  const info = await inst.docker.getContainer(inst.id).inspect();
  const upper = (info.GraphDriver?.Data as Record<string, string> | undefined)?.UpperDir;
  if (!upper) return { none: `the engine's storage driver ${info.GraphDriver?.Name ?? '(unknown)'} names no upper layer` };
  return { path: join(upper, path) };
}

interface Collected {
  done: Promise<void>;
  stdout(): string;
  stderr(): string;
}

function collect(docker: Docker, stream: Duplex, onChunk: (c: Buffer) => void = () => undefined): Collected {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => (chunks.out.push(c), onChunk(c)));
  err.on('data', (c: Buffer) => (chunks.err.push(c), onChunk(c)));
  docker.modem.demuxStream(stream, out, err);
  const done = new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
  }).then(() => new Promise<void>((resolve) => setImmediate(resolve)));
  return {
    done,
    stdout: () => Buffer.concat(chunks.out).toString(),
    stderr: () => Buffer.concat(chunks.err).toString(),
  };
}

function engineMessage(err: unknown): string {
  const e = err as { json?: { message?: string }; message?: string };
  return (e.json?.message ?? e.message ?? String(err)).trim();
}
