// The class charts: for each kind, one dot per machine beside the document's band (start, disk, memory).
import type { Claim } from '../claims/schema.js';
import { KINDS, type Kind } from '../drivers/types.js';
import { median } from '../measure/stats.js';
import type { MetricResult } from '../results/schema.js';
import { axisFor, CHART, chartSvg, docSvg, domain, rowHead, textWidth, type Axis, type ChartRow } from './charts.js';
import { metricName } from './env-tables.js';
import { formatValue } from './format.js';
import { chartLabels, docRange, HEADLINES, type Headline } from './headline-charts.js';
import { esc } from './html-util.js';
import type { Messages } from './i18n/en.js';
import type { Lang } from './i18n/index.js';

/** One machine's run, under the label the class page shows it with. */
export interface LabelledRun {
  label: string;
  results: { environments: readonly { kind: Kind; status: string; metrics: Record<string, MetricResult> }[] };
}

interface DotRow {
  kind: Kind;
  dots: { machine: string; metric: MetricResult }[];
  doc: ChartRow['doc'];
}

/**
 * Per kind, every completed venv's number for the headline (a machine with two venvs gives two dots).
 * Containers and VMs give one dot a machine: the first completed row of the kind, the one its verdicts are judged
 * on (the Docker row; the full-OS guest), since a gVisor or Podman container, another suite's container, a
 * micro-VM's or a Vagrant machine's boot is not the same quantity as the document's container or full guest.
 */
export function dotRows(h: Headline, runs: readonly LabelledRun[], claims: readonly Claim[], lang: Lang): DotRow[] {
  return KINDS.map((kind) => {
    const id = HEADLINES[h].metric[kind];
    const dots = runs.flatMap((r) =>
      r.results.environments
        .filter((e) => e.kind === kind && e.status === 'completed' && e.metrics[id])
        .slice(0, kind === 'venv' ? undefined : 1)
        .map((e) => ({ machine: r.label, metric: e.metrics[id]! })),
    );
    return { kind, dots, doc: docRange(claims.find((c) => c.id === HEADLINES[h].claim[kind]), lang) };
  });
}

function rowSvg(h: Headline, row: DotRow, i: number, axis: Axis, t: Messages): string {
  const y = CHART.TOP + i * CHART.ROW;
  const unit = HEADLINES[h].unit;
  const head = rowHead(t.kinds[row.kind], metricName(HEADLINES[h].metric[row.kind], t).replace(/`/g, ''), y);
  const doc = row.doc ? docSvg(row.doc, y, axis, h, chartLabels(t)) : '';
  if (row.dots.length === 0) return `${head}<text class="missing" x="${CHART.X0 + 8}" y="${y + 28}">${esc(t.classroom.noDots)}</text>${doc}`;
  const dots = row.dots
    .map((d, j) => {
      const cy = y + 21 + (((j * 7) % 5) - 2) * 5;
      return `<circle class="dot dot-${row.kind}" data-machine="${esc(d.machine)}" cx="${axis.x(d.metric.value).toFixed(1)}" cy="${cy}" r="7"><title>${esc(`${d.machine}: ${formatValue(d.metric.value, unit)}`)}</title></circle>`;
    })
    .join('');
  const summary = t.classroom.dotsSummary(row.dots.length, formatValue(median(row.dots.map((d) => d.metric.value)), unit));
  const xs = row.dots.map((d) => axis.x(d.metric.value));
  const right = Math.max(...xs) + 14;
  // 20px bold text: about 1.5 times the width of the 15px labels textWidth estimates.
  const fits = right + textWidth(summary) * 1.5 <= CHART.W;
  const place = fits ? `x="${right.toFixed(1)}"` : `x="${(Math.min(...xs) - 14).toFixed(1)}" text-anchor="end"`;
  return `${head}<g class="dots">${dots}</g><text class="value" ${place} y="${y + 28}">${esc(summary)}</text>${doc}`;
}

/** The three dot charts of the class, each in a <figure> with its caption and legend. */
export function classDotCharts(runs: readonly LabelledRun[], claims: readonly Claim[], lang: Lang, t: Messages): string {
  return (Object.keys(HEADLINES) as Headline[])
    .map((h) => {
      const rows = dotRows(h, runs, claims, lang);
      const forAxis: ChartRow[] = rows.flatMap((r) => [
        ...r.dots.map((d) => ({ label: '', sublabel: '', kind: r.kind, env: '', metric: { ...d.metric, stats: undefined }, doc: r.doc })),
        { label: '', sublabel: '', kind: r.kind, env: '', doc: r.doc },
      ]);
      const axis = axisFor(domain(forAxis));
      const svg = chartSvg({ id: h, title: t.html.charts[h], unit: HEADLINES[h].unit, rows: rows.length, cls: 'chart dot-chart' }, axis, chartLabels(t), rows.map((r, i) => rowSvg(h, r, i, axis, t)).join('\n'));
      return `<figure class="chart-box"><figcaption>${t.html.charts[h]}</figcaption>\n${svg}\n<p class="legend">${esc(t.classroom.dotsLegend)}</p></figure>`;
    })
    .join('\n');
}
