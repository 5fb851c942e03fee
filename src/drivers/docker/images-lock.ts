// One isobench process at a time builds and measures isobench's shared Docker tags (isobench/requests:offline, …)
// on one Engine: another waits, and its report says how long, so no image changes under a running measurement.
import { createHash } from 'node:crypto';
import { acquireLock } from '../../lifecycle/lock.js';
import { engine } from './engine.js';
import type { DriverContext } from '../types.js';

/** The lock name of a daemon, by its ID (the same daemon behind two addresses is one lock), else its address. */
export function imagesLockName(daemon: string): string {
  return `docker-images-${createHash('sha256').update(daemon).digest('hex').slice(0, 12)}`;
}

/** Holds the Engine's isobench images for ctx's run until the returned function (also on ctx.cleanup) releases them. */
export async function lockImages(ctx: DriverContext): Promise<() => Promise<void>> {
  const { docker, host } = await engine(ctx);
  const id = ((await docker.info().catch(() => ({}))) as { ID?: string }).ID;
  const t0 = performance.now();
  let holder = '';
  const release = await acquireLock(imagesLockName(id || host), ctx.runId, {
    signal: ctx.signal,
    onWait: (o) => {
      holder = `${o.purpose ?? 'run'} ${o.runId} (pid ${o.pid})`;
      ctx.log.warn(`docker: waiting for ${holder}, which is building or measuring isobench's Docker images on this Engine`);
    },
  });
  if (holder) {
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    ctx.note(`docker: waited ${s} s for ${holder} to finish with isobench's Docker images on this Engine (they are built and measured by one isobench process at a time)`);
  }
  return ctx.cleanup.push(`lock on isobench's Docker images at ${host}`, release);
}
