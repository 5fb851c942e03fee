// Reads results files of earlier schema versions: v1 stored a CI that was not exact (and [min, max] below 6 samples);
// v2 stored verdicts judged by rules since changed (emulated timings, "can differ" claims, ranks on single values);
// v3 did not record what each environment is (a verdict compares like with like).
import { summarize } from '../measure/stats.js';

type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Upgrades a v1, v2 or v3 results object to v4 in a copy: v1 statistics are recomputed from the stored samples (exact
 * interval and its coverage), and the stored verdicts are dropped so that today's rules judge the claims again.
 * Any other input is returned unchanged, for the schema to judge.
 */
export function upgradeResults(data: unknown): unknown {
  return fromV3(fromV2(fromV1(data)));
}

/**
 * v3 -> v4: an environment records what it is (facts.subject), which v3 drivers did not; it is read from the facts
 * they did record. The stored verdicts are dropped: today's rules judge like with like again.
 */
function fromV3(data: unknown): unknown {
  if (!isObj(data) || data.schemaVersion !== 3 || !Array.isArray(data.environments)) return data;
  const environments = data.environments.map((env) => {
    if (!isObj(env) || !isObj(env.facts) || 'subject' in env.facts) return env;
    const subject = subjectFromV3(env.kind, env.facts as Record<string, unknown>);
    return subject ? { ...env, facts: { ...env.facts, subject } } : env;
  });
  const notes = Array.isArray(data.notes) ? data.notes : [];
  return { ...data, schemaVersion: 4, environments, claims: [], notes: [...notes, 'Upgraded from results schema v3: what each environment is read from its facts, claims judged again.'] };
}

/** The subject a v3 environment's facts show: its image path, its guest profile. */
function subjectFromV3(kind: unknown, f: Record<string, unknown>): string | undefined {
  if (kind === 'venv') return 'venv';
  if (kind === 'docker') return f['docker.imagePath'] === 'registry' ? 'pulled-image' : f['docker.imagePath'] === 'offline' ? 'debootstrap-image' : undefined;
  if (kind !== 'vm') return undefined;
  return ({ full: 'server-guest', micro: 'micro-guest', vagrant: 'vagrant-box', cloud: 'cloud-image' } as Record<string, string>)[String(f['vm.profile'])];
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
