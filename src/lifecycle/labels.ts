// Labels put on every resource isobench creates, so that leftovers can be found and removed.
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';

const require = createRequire(import.meta.url);
/** isobench's own version, from package.json. */
export const VERSION: string = (require('../../package.json') as { version: string }).version;

export const LABEL_RUN = 'isobench.run';
export const LABEL_VERSION = 'isobench.version';

/** The labels for a resource created by run `runId`. */
export function labels(runId: string): Record<string, string> {
  return { [LABEL_RUN]: runId, [LABEL_VERSION]: VERSION };
}

/** A new run id: sortable time prefix plus randomness, safe in names and labels. */
export function newRunId(now = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `${t}-${randomBytes(3).toString('hex')}`;
}
