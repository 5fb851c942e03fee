// `isobench cleanup`: removes what earlier crashed or killed runs left behind: the caller's own, and with
// --all-users other users' too (each named with its user). What a live process owns is never listed.
import { UserError } from '../config/errors.js';
import { loadConfig, DEFAULT_CONFIG_PATH } from '../config/load.js';
import { findLeftovers, whose, type Leftover } from '../lifecycle/leftovers.js';

interface Parsed {
  values: { config?: string; 'dry-run'?: boolean; 'all-users'?: boolean; run?: string };
  positionals: string[];
}

/** "(run R)" for the caller's own, "(run R, user NAME)" for another user's. */
function describe(l: Leftover): string {
  return `${l.kind} ${l.id} (run ${l.runId}${l.mine ? '' : `, user ${whose(l)}`})`;
}

/** The line about other users' dead leftovers that stay without --all-users: how many, whose, and the flag. */
export function othersLine(others: Pick<Leftover, 'uid'>[], passwd?: string): string {
  const counts = new Map<string, number>();
  for (const l of others) counts.set(whose(l, passwd), (counts.get(whose(l, passwd)) ?? 0) + 1);
  const list = [...counts].map(([u, n]) => `${u}: ${n}`).join(', ');
  return `kept ${others.length} leftover(s) of other users' dead runs (${list}); isobench cleanup --all-users removes them (as root, or in the docker group for containers)`;
}

/** Runs `isobench cleanup [--dry-run] [--all-users] [--run ID]`; exit 1 when something could not be removed. */
export async function cleanupCommand({ values, positionals }: Parsed): Promise<number> {
  if (positionals.length) throw new UserError('usage', 'usage: isobench cleanup [--dry-run] [--all-users] [--run ID] [--config FILE]');
  if (values.run !== undefined && !/^[\w.-]+$/.test(values.run)) throw new UserError('usage', `--run: expected a run id (as a run prints it: 20261204-014036-a605c8), got ${JSON.stringify(values.run)}`);
  const config = await loadConfig(values.config ?? DEFAULT_CONFIG_PATH);
  const all = (await findLeftovers(config)).filter((l) => values.run === undefined || l.runId === values.run);
  const found = values['all-users'] ? all : all.filter((l) => l.mine);
  const others = all.filter((l) => !l.mine);
  if (found.length === 0) process.stdout.write(others.length ? 'nothing of yours left behind by earlier runs\n' : 'nothing left behind by earlier runs\n');
  let failed = 0;
  for (const l of found) {
    if (values['dry-run']) {
      process.stdout.write(`would remove ${describe(l)}\n`);
      continue;
    }
    try {
      await l.remove();
      process.stdout.write(`removed ${describe(l)}\n`);
    } catch (err) {
      failed++;
      const cause = (err as NodeJS.ErrnoException).code ?? (err as Error).message.split('\n')[0];
      const fix = l.mine ? '' : `; fix: run isobench cleanup --all-users as root, or as ${whose(l)}`;
      process.stderr.write(`isobench: could not remove ${describe(l)}: ${cause}${fix}\n`);
    }
  }
  if (!values['all-users'] && others.length) process.stdout.write(`${othersLine(others)}\n`);
  return failed ? 1 : 0;
}
