// Per-environment sections: the measured numbers with statistics, and the isolation probes.
import { METRIC_IDS, parseDensityMetricId } from '../claims/metrics.js';
import type { EnvResult, MetricResult } from '../results/schema.js';
import { formatMetric, formatRange, table } from './format.js';
import type { Messages } from './i18n/en.js';

/** "Python venv — python3 -m venv". */
export function envTitle(env: EnvResult, t: Messages): string {
  return `${t.kinds[env.kind]} — ${env.label}`;
}

/** Known metrics first in a fixed order, then any others (e.g. boot phases) by id. */
export function orderedMetrics(env: EnvResult): [string, MetricResult][] {
  const known = new Map<string, number>(METRIC_IDS.map((id, i) => [id, i]));
  const rank = (id: string) => known.get(id) ?? known.size;
  return Object.entries(env.metrics).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** A metric's name in the report's language (its id when unknown). */
export function metricName(id: string, t: Messages): string {
  const phase = /^start\.phase\.(.+)\.ms$/.exec(id);
  if (phase) return t.phase(phase[1]!);
  const density = parseDensityMetricId(id);
  if (density) return t.density(density.k, density.part);
  return (t.metrics as Record<string, string>)[id] ?? id;
}

/** The numbers of one environment: median with CI and n, min–max, outliers, and how it was measured. */
export function summaryTable(env: EnvResult, t: Messages): string {
  const facts = Object.entries(env.facts).map(([k, v]) => `${t.facts[k] ?? k} ${v}`);
  const rows = orderedMetrics(env).map(([id, m]) => {
    const outliers = m.stats?.outliers.length ? ` ⚠ ${t.outliers(m.stats.outliers.length)}` : '';
    const spread = m.stats && m.stats.n > 1 ? formatRange(m.stats.min, m.stats.max, m.unit) : '';
    return [metricName(id, t), formatMetric(m, t.ci) + outliers, spread, m.method];
  });
  const body = rows.length
    ? table([t.cols.metric, t.cols.measured, t.cols.minMax, t.cols.method], rows)
    : t.noMetrics;
  return [`### ${envTitle(env, t)}`, ...(facts.length ? [facts.join(' · ')] : []), body].join('\n\n');
}

/** The isolation probes of one environment: probe | isolated? | what was seen. */
export function probesTable(env: EnvResult, t: Messages): string {
  const rows = env.probes.map((p) => {
    const isolated = p.isolated === null ? t.probeIsolated.unknown : p.isolated ? t.probeIsolated.yes : t.probeIsolated.no;
    const seen = p.error ? `${p.summary} (${p.error})` : p.summary;
    return [t.probes[p.id], isolated, seen];
  });
  const body = rows.length ? table([t.cols.probe, t.cols.isolated, t.cols.seen], rows) : t.noProbes;
  return [`### ${envTitle(env, t)}`, body].join('\n\n');
}
