// Reads results files of earlier schema versions: v1 stored a CI that was not exact (and [min, max] below 6 samples);
// v2 stored verdicts judged by rules since changed (emulated timings, "can differ" claims, ranks on single values).
import { summarize } from '../measure/stats.js';

type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Upgrades a v1 or v2 results object to v3 in a copy: v1 statistics are recomputed from the stored samples (exact
 * interval and its coverage), and the stored verdicts are dropped so that today's rules judge the claims again.
 * Any other input is returned unchanged, for the schema to judge.
 */
export function upgradeResults(data: unknown): unknown {
  return fromV2(fromV1(data));
}

/** v2 -> v3: the stored verdicts are dropped so that today's rules judge the claims again. */
function fromV2(data: unknown): unknown {
  if (!isObj(data) || data.schemaVersion !== 2) return data;
  const notes = Array.isArray(data.notes) ? data.notes : [];
  return { ...data, schemaVersion: 3, claims: [], notes: [...notes, 'Upgraded from results schema v2: claims judged again.'] };
}

function fromV1(data: unknown): unknown {
  if (!isObj(data) || data.schemaVersion !== 1 || !Array.isArray(data.environments)) return data;
  const environments = data.environments.map((env) => {
    if (!isObj(env) || !isObj(env.metrics)) return env;
    const metrics = Object.fromEntries(
      Object.entries(env.metrics).map(([id, m]) => {
        if (!isObj(m) || !Array.isArray(m.samples) || !m.samples.length || !m.samples.every((x) => typeof x === 'number')) return [id, m];
        return [id, { ...m, stats: summarize(m.samples as number[]) }];
      }),
    );
    return { ...env, metrics };
  });
  const notes = Array.isArray(data.notes) ? data.notes : [];
  return {
    ...data,
    schemaVersion: 2,
    environments,
    claims: [],
    notes: [...notes, 'Upgraded from results schema v1: intervals recomputed from the samples, claims judged again.'],
  };
}
