// `docker run --rm IMAGE argv` through the Engine API, timed phase by phase (attach before start).
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { oneShotCreateOptions } from './container-spec.js';
import type { DriverContext } from '../types.js';

export interface RunOnceResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** ms of each phase: create, start, firstOutput (after start returned), exit (after start), remove. */
  phases: { create: number; start: number; firstOutput: number; exit: number; remove: number };
}

/** Runs argv in a new labelled container of `image`, collects its output and removes it. */
export async function runOnce(
  docker: Docker,
  image: string,
  argv: string[],
  ctx: DriverContext,
  on: { runtime?: string; network?: string } = {},
): Promise<RunOnceResult> {
  const t0 = performance.now();
  const container = await docker.createContainer(oneShotCreateOptions(image, argv, ctx.runId, on));
  const remove = ctx.cleanup.push(`container ${container.id.slice(0, 12)}`, () => container.remove({ force: true }).catch(gone));
  try {
    const tCreated = performance.now();
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const out = new PassThrough();
    const err = new PassThrough();
    const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
    let tFirst = 0;
    const first = () => (tFirst ||= performance.now());
    out.on('data', (c: Buffer) => (first(), chunks.out.push(c)));
    err.on('data', (c: Buffer) => (first(), chunks.err.push(c)));
    docker.modem.demuxStream(stream, out, err);
    const ended = new Promise<void>((resolve) => stream.on('end', resolve));
    const tStart0 = performance.now();
    await container.start();
    const tStarted = performance.now();
    const waited = (await container.wait({ abortSignal: ctx.signal })) as { StatusCode: number };
    await ended;
    const tExit = performance.now();
    await remove();
    const tRemoved = performance.now();
    return {
      exitCode: waited.StatusCode,
      stdout: Buffer.concat(chunks.out).toString(),
      stderr: Buffer.concat(chunks.err).toString(),
      phases: {
        create: tCreated - t0,
        start: tStarted - tStart0,
        firstOutput: tFirst ? tFirst - tStart0 : Number.NaN,
        exit: tExit - tStart0,
        remove: tRemoved - tExit,
      },
    };
  } finally {
    await remove().catch(() => undefined);
  }
}

/** Treats "no such container" (404) as success: removal is idempotent. */
export function gone(err: unknown): void {
  const code = (err as { statusCode?: number }).statusCode;
  if (code !== 404 && code !== 409) throw err;
}
