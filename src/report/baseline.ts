// Regressions against a baseline run, decided on confidence intervals rather than single numbers: pure.
import type { MetricResult, RunResults } from '../results/schema.js';
import { formatRange, formatValue } from './format.js';

type Bounds = { median: number; lo: number; hi: number };

/** One metric of one environment in both runs, and whether it got worse beyond the threshold. */
export interface MetricDelta {
  env: string;
  metric: string;
  unit: 'ms' | 'bytes';
  old: Bounds;
  new: Bounds;
  /** Relative change of the median: 0.25 means 25% higher than the baseline. */
  change: number;
  /** not-judged: one side has no confidence interval (a single value, or too few samples), so no regression is claimed. */
  status: 'regressed' | 'improved' | 'unchanged' | 'not-judged';
}

/** "10%" or "10" -> 0.1; undefined for anything that is not a non-negative percentage. */
export function parseThreshold(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  return m ? Number(m[1]) / 100 : undefined;
}

/** The 95% CI of a metric, or its single value as both bounds when it has no interval (marked). */
function boundsOf(m: MetricResult): Bounds & { interval: boolean } {
  const ci = m.stats?.ci95;
  const [lo, hi] = ci ?? [m.value, m.value];
  return { median: m.value, lo, hi, interval: Boolean(ci) };
}

/**
 * Every ms and bytes metric (lower is better) that both runs measured in a completed environment of the
 * same name. Regressed: the new CI's lower bound exceeds the old CI's upper bound by more than threshold ×
 * the old median; improved: the mirror image; else unchanged. A metric without an interval on either side (a
 * single value such as create.ms, or fewer than 6 samples) is not-judged: one noisy value proves nothing.
 */
export function compareBaseline(baseline: RunResults, current: RunResults, threshold: number): MetricDelta[] {
  const oldEnvs = new Map(baseline.environments.filter((e) => e.status === 'completed').map((e) => [e.name, e]));
  return current.environments.flatMap((env) => {
    const before = oldEnvs.get(env.name);
    if (env.status !== 'completed' || !before) return [];
    return Object.entries(env.metrics).flatMap(([id, m]): MetricDelta[] => {
      const o = before.metrics[id];
      if (!o || m.unit === 'count' || o.unit !== m.unit) return [];
      const [{ interval: ia, ...a }, { interval: ib, ...b }] = [boundsOf(o), boundsOf(m)];
      const margin = threshold * a.median;
      const status = !ia || !ib ? 'not-judged' : b.lo > a.hi + margin ? 'regressed' : b.hi < a.lo - margin ? 'improved' : 'unchanged';
      return [{ env: env.name, metric: id, unit: m.unit, old: a, new: b, change: a.median ? b.median / a.median - 1 : 0, status }];
    });
  });
}

/** One line for a delta: "docker-requests run.cli.ms: 612 ms (CI 598 ms–1.84 s) -> 1.40 s (CI …), +129%". */
export function formatDelta(d: MetricDelta): string {
  const side = (b: Bounds) => `${formatValue(b.median, d.unit)}${b.lo === b.hi ? '' : ` (CI ${formatRange(b.lo, b.hi, d.unit)})`}`;
  const pct = `${d.change >= 0 ? '+' : ''}${(d.change * 100).toFixed(0)}%`;
  return `${d.env} ${d.metric}: ${side(d.old)} -> ${side(d.new)}, ${pct}`;
}
