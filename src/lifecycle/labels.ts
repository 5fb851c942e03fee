// Labels put on every resource isobench creates, so that leftovers can be found and removed.
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { currentOwner, ownerLabels, type Owner } from './owner.js';

const require = createRequire(import.meta.url);
/** isobench's own version, from package.json. */
export const VERSION: string = (require('../../package.json') as { version: string }).version;

/** The run a container belongs to (set on create; an image built by an older isobench may also carry it). */
export const LABEL_RUN = 'isobench.run';
/** The run that created a container: set only on create, never on an image, so no container inherits it. */
export const LABEL_OWNER = 'isobench.owner';
/** On everything isobench creates, images included (caches are found by it). */
export const LABEL_VERSION = 'isobench.version';

/**
 * The labels of a container created by run `runId`, and its owner (this process: uid, pid, start time, boot id,
 * host), so that any user's cleanup can tell from /proc whether the creator still runs.
 */
export function labels(runId: string, owner: Owner = currentOwner()): Record<string, string> {
  return { [LABEL_RUN]: runId, [LABEL_OWNER]: runId, [LABEL_VERSION]: VERSION, ...ownerLabels(owner) };
}

/**
 * The labels of an image isobench builds or imports: no run id, so containers made from it (a later build's
 * intermediate containers too) never look like a run's, and an identical cached rebuild is the identical image.
 */
export function imageLabels(): Record<string, string> {
  return { [LABEL_VERSION]: VERSION };
}

/** `docker run` flags that label a CLI-started container like labels(runId). */
export function labelFlags(runId: string): string[] {
  return Object.entries(labels(runId)).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
}

/** A new run id: sortable time prefix plus randomness, safe in names and labels. */
export function newRunId(now = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `${t}-${randomBytes(3).toString('hex')}`;
}
