// The comparison report: several runs (other machines or other runs) side by side, per environment and metric.
import type { Claim } from '../claims/schema.js';
import { judgeClaims } from '../claims/verdict.js';
import type { ClaimVerdict, MetricResult, RunResults } from '../results/schema.js';
import { envTitle, metricName, orderedMetrics } from './env-tables.js';
import { formatMetric, table } from './format.js';
import { chartFigure, HEADLINES, headlineRow, type Headline } from './headline-charts.js';
import { bySpectrum } from './spectrum-order.js';
import { page } from './html.js';
import { hostRows } from './host-rows.js';
import { esc, htmlTable, section, type Cell } from './html-util.js';
import type { Messages } from './i18n/en.js';
import { messages, type Lang } from './i18n/index.js';
import { agreementOf } from './comparison-table.js';
import type { ChartRow } from './charts.js';

/** One run in the comparison, with the name it is shown under (its host, with the run id when hosts repeat). */
export interface Machine {
  label: string;
  results: RunResults;
}

/** Labels for runs: the hostname, or "hostname (run id)" when two runs share a host. */
export function machinesOf(runs: readonly RunResults[]): Machine[] {
  const count = (h: string) => runs.filter((r) => r.host.hostname === h).length;
  return runs.map((r) => ({ label: count(r.host.hostname) > 1 ? `${r.host.hostname} (${r.runId})` : r.host.hostname, results: r }));
}

/** One environment's metric across the machines (undefined where a machine did not measure it). */
export interface CompareRow {
  env: string;
  title: string;
  metric: string;
  cells: (MetricResult | undefined)[];
}

/** Rows for every (environment, metric) any machine measured: environments least isolated first, metrics in report order. */
export function compareRows(machines: readonly Machine[], t: Messages): CompareRow[] {
  const envs = bySpectrum(machines.flatMap((m) => m.results.environments.filter((e) => e.status === 'completed')));
  const names = [...new Set(envs.map((e) => e.name))];
  return names.flatMap((name) => {
    const first = envs.find((e) => e.name === name)!;
    const envOf = (m: Machine) => m.results.environments.find((e) => e.name === name && e.status === 'completed');
    const metrics = [...new Set(envs.filter((e) => e.name === name).flatMap((e) => orderedMetrics(e).map(([id]) => id)))];
    return metrics.map((metric) => ({ env: name, title: envTitle(first, t), metric, cells: machines.map((m) => envOf(m)?.metrics[metric]) }));
  });
}

function verdictsOf(r: RunResults, claims: readonly Claim[]): ClaimVerdict[] {
  return r.claims.length ? r.claims : judgeClaims(claims, r.environments);
}

/** Claim id -> the verdict of each machine, in the claims file's order. */
function claimMatrix(machines: readonly Machine[], claims: readonly Claim[]): [Claim, (ClaimVerdict | undefined)[]][] {
  const all = machines.map((m) => verdictsOf(m.results, claims));
  return claims.map((c) => [c, all.map((vs) => vs.find((v) => v.claimId === c.id))]);
}

function hostMatrix(machines: readonly Machine[], t: Messages): string[][] {
  const rows = machines.map((m) => new Map(hostRows(m.results.host, t)));
  const keys = [...new Set(rows.flatMap((r) => [...r.keys()]))];
  return [[t.compare.run, ...machines.map((m) => m.results.runId)], ...keys.map((k) => [k, ...rows.map((r) => r.get(k) ?? t.compare.missing)])];
}

/** The comparison as Markdown. */
export function renderCompareMarkdown(machines: readonly Machine[], lang: Lang, claims: readonly Claim[]): string {
  const t = messages(lang);
  const labels = machines.map((m) => m.label);
  const numbers = compareRows(machines, t).map((r) => [r.title, metricName(r.metric, t), ...r.cells.map((c) => (c ? formatMetric(c, t.ci) : t.compare.missing))]);
  const verdicts = claimMatrix(machines, claims).map(([c, vs]) => [`\`${c.id}\``, c.says[lang], ...vs.map((v) => (v ? t.verdictNames[v.verdict] : t.compare.missing))]);
  return `${[
    `# ${t.compare.title}`,
    `## ${t.compare.machines}`,
    table([t.cols.item, ...labels], hostMatrix(machines, t)),
    `## ${t.compare.numbers}`,
    table([t.cols.env, t.cols.metric, ...labels], numbers),
    `## ${t.compare.claims}`,
    table([t.cols.claim, t.cols.says, ...labels], verdicts),
  ].join('\n\n')}\n`;
}

/** The comparison as one self-contained HTML page, with the headline charts grouped by environment. */
export function renderCompareHtml(machines: readonly Machine[], lang: Lang, claims: readonly Claim[]): string {
  const t = messages(lang);
  const labels = machines.map((m) => m.label);
  const charts = (Object.keys(HEADLINES) as Headline[]).map((h) => chartFigure(h, chartRows(h, machines, claims, lang, t), t)).join('\n');
  const numbers = compareRows(machines, t).map((r): Cell[] => [r.title, metricName(r.metric, t), ...r.cells.map((c) => (c ? formatMetric(c, t.ci) : t.compare.missing))]);
  const verdicts = claimMatrix(machines, claims).map(([c, vs]): Cell[] => [
    { html: `<code>${esc(c.id)}</code>` },
    c.says[lang],
    ...vs.map((v) => ({ html: esc(v ? t.verdictNames[v.verdict] : t.compare.missing), cls: `verdict ${agreementOf(v?.verdict)}` })),
  ]);
  const body = [
    `<header><h1>${esc(t.compare.title)}</h1></header>`,
    section('charts', t.html.headings.charts, charts),
    section('numbers', t.compare.numbers, htmlTable([t.cols.env, t.cols.metric, ...labels], numbers)),
    section('claims', t.compare.claims, htmlTable([t.cols.claim, t.cols.says, ...labels], verdicts, 'claims')),
    section('machines', t.compare.machines, htmlTable([t.cols.item, ...labels], hostMatrix(machines, t), 'host', true)),
  ];
  return page(lang, t.compare.title, body.join('\n'));
}

function chartRows(h: Headline, machines: readonly Machine[], claims: readonly Claim[], lang: Lang, t: Messages): ChartRow[] {
  const envs = bySpectrum(machines.flatMap((m) => m.results.environments.map((env) => ({ kind: env.kind, env, machine: m.label }))));
  return envs.map(({ env, machine }) => headlineRow(h, env, claims, lang, t, machine));
}

/** The comparison as JSON: machines, per-metric medians and CIs, and each machine's verdicts. */
export function renderCompareJson(machines: readonly Machine[], claims: readonly Claim[]): string {
  const t = messages('en');
  const out = {
    machines: machines.map((m) => ({ label: m.label, runId: m.results.runId, host: m.results.host })),
    metrics: compareRows(machines, t).map((r) => ({
      env: r.env,
      metric: r.metric,
      values: r.cells.map((c) => (c ? { unit: c.unit, median: c.value, ci95: c.stats?.ci95 ?? null, n: c.stats?.n ?? 1 } : null)),
    })),
    claims: claimMatrix(machines, claims).map(([c, vs]) => ({ claimId: c.id, verdicts: vs.map((v) => v?.verdict ?? null) })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
