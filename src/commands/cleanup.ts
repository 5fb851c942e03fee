// `isobench cleanup`: removes what earlier crashed or killed runs left behind.
import { UserError } from '../config/errors.js';
import { loadConfig, DEFAULT_CONFIG_PATH } from '../config/load.js';
import { findLeftovers } from '../lifecycle/leftovers.js';

interface Parsed {
  values: { config?: string; 'dry-run'?: boolean };
  positionals: string[];
}

/** Runs `isobench cleanup [--dry-run]`; exit 1 when something could not be removed. */
export async function cleanupCommand({ values, positionals }: Parsed): Promise<number> {
  if (positionals.length) throw new UserError('usage', 'usage: isobench cleanup [--dry-run] [--config FILE]');
  const config = await loadConfig(values.config ?? DEFAULT_CONFIG_PATH);
  const found = await findLeftovers(config);
  if (found.length === 0) {
    process.stdout.write('nothing left behind by earlier runs\n');
    return 0;
  }
  let failed = 0;
  for (const l of found) {
    if (values['dry-run']) {
      process.stdout.write(`would remove ${l.kind} ${l.id} (run ${l.runId})\n`);
      continue;
    }
    try {
      await l.remove();
      process.stdout.write(`removed ${l.kind} ${l.id} (run ${l.runId})\n`);
    } catch (err) {
      failed++;
      process.stderr.write(`isobench: could not remove ${l.kind} ${l.id}: ${(err as Error).message}\n`);
    }
  }
  return failed ? 1 : 0;
}
