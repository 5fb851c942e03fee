// The three headline charts (start, disk, memory): which metric and which claim of the document each kind uses.
import type { Claim } from '../claims/schema.js';
import { emulationOf } from '../claims/emulation.js';
import type { MetricId } from '../claims/metrics.js';
import type { Kind } from '../drivers/types.js';
import type { EnvResult } from '../results/schema.js';
import { barChart, type ChartLabels, type ChartRow } from './charts.js';
import { metricName } from './env-tables.js';
import { bySpectrum } from './spectrum-order.js';
import type { Messages } from './i18n/en.js';
import type { Lang } from './i18n/index.js';

export type Headline = 'start' | 'disk' | 'memory' | 'hostMemory';

/** Per kind: the number a reader compares with the document, and the claim that states the document's value. */
export const HEADLINES: Record<Headline, { unit: 'ms' | 'bytes'; metric: Record<Kind, MetricId>; claim: Partial<Record<Kind, string>> }> = {
  start: {
    unit: 'ms',
    metric: { venv: 'ready.python.ms', docker: 'ready.python.ms', vm: 'ready.python.ms' },
    claim: { venv: 'venv.table.start', docker: 'docker.table.start', vm: 'vm.table.start' },
  },
  disk: {
    unit: 'bytes',
    metric: { venv: 'disk.allocated.bytes', docker: 'image.bytes', vm: 'disk.actual.bytes' },
    claim: { venv: 'venv.table.size', docker: 'docker.table.size', vm: 'vm.table.size' },
  },
  memory: {
    unit: 'bytes',
    metric: { venv: 'python.maxrss.bytes', docker: 'python.maxrss.bytes', vm: 'python.maxrss.bytes' },
    claim: {},
  },
  hostMemory: {
    unit: 'bytes',
    metric: { venv: 'python.maxrss.bytes', docker: 'memory.processes.bytes', vm: 'memory.qemuRss.bytes' },
    claim: { vm: 'vm.traits.memory-gb' },
  },
};

/** The document's value of a numeric claim as a range (a point claim ± its tolerance). */
export function docRange(claim: Claim | undefined, lang: Lang): ChartRow['doc'] {
  if (claim?.check === 'range') return { lo: claim.range[0], hi: claim.range[1], text: claim.says[lang] };
  if (claim?.check === 'point') return { lo: claim.value * (1 - claim.tolerance), hi: claim.value * (1 + claim.tolerance), text: claim.says[lang] };
  return undefined;
}

/** One chart row for an environment (of a named machine in comparisons): its number, or why there is none. */
export function headlineRow(h: Headline, env: EnvResult, claims: readonly Claim[], lang: Lang, t: Messages, machine?: string): ChartRow {
  const id = HEADLINES[h].metric[env.kind];
  const metric = env.status === 'completed' ? env.metrics[id] : undefined;
  const claim = claims.find((c) => c.id === HEADLINES[h].claim[env.kind]);
  const missing = env.status === 'completed' ? t.html.notRecorded : t.envNotRun(t.kinds[env.kind], t.status[env.status]);
  // Rows of one kind (Docker, Podman, gVisor; full OS, micro-VM, Vagrant) are told apart by their step on the spectrum.
  const step = env.facts?.['isolation.step'];
  const guest = env.kind === 'vm' ? env.facts?.['vm.profile'] : undefined;
  const emulated = HEADLINES[h].unit === 'ms' && emulationOf(env);
  return {
    label: step && t.spectrum.steps[step] ? t.spectrum.steps[step]! : guest ? `${t.kinds[env.kind]} · ${t.guestName(guest)}` : t.kinds[env.kind],
    sublabel: machine ?? metricName(id, t).replace(/`/g, ''),
    ...(emulated ? { tag: t.reader.emulatedLabel } : {}),
    kind: env.kind,
    env: machine ? `${env.name}@${machine}` : env.name,
    ...(metric ? { metric } : { missing }),
    doc: docRange(claim, lang),
  };
}

/** The start, disk, workload-memory and host-memory charts of one run, each in a <figure> with its legend. */
export function headlineCharts(envs: readonly EnvResult[], claims: readonly Claim[], lang: Lang, t: Messages): string {
  return (Object.keys(HEADLINES) as Headline[])
    .map((h) => {
      const ordered = bySpectrum(envs);
      return chartFigure(h, distinctLabels(ordered.map((e) => headlineRow(h, e, claims, lang, t)), ordered), t);
    })
    .join('\n');
}

/**
 * Rows that would carry the same label (the main container and the containers of other Debian suites; two
 * micro-VMs) get what tells them apart: their Debian suite's codename, else their short name.
 */
export function distinctLabels(rows: ChartRow[], envs: readonly EnvResult[]): ChartRow[] {
  const count = new Map<string, number>();
  for (const r of rows) count.set(r.label, (count.get(r.label) ?? 0) + 1);
  return rows.map((r, i) => {
    if ((count.get(r.label) ?? 0) < 2) return r;
    const suite = envs[i]?.facts?.['debian.suite']?.split(' ')[0];
    const sameSuite = rows.filter((q, j) => q.label === r.label && envs[j]?.facts?.['debian.suite']?.split(' ')[0] === suite).length > 1;
    return { ...r, label: `${r.label} · ${suite && !sameSuite ? suite : envs[i]!.name}` };
  });
}

/** A chart's words in the report's language: the document's band, the log scale, the interval. */
export function chartLabels(t: Messages): ChartLabels {
  return { ...t.html.chartLabels, ci: t.ci };
}

/** A chart in a <figure> with its caption and legend; rows may come from one run or several machines. */
export function chartFigure(h: Headline, rows: ChartRow[], t: Messages): string {
  const svg = barChart({ id: h, title: t.html.charts[h], unit: HEADLINES[h].unit, rows }, chartLabels(t));
  return `<figure class="chart-box"><figcaption>${t.html.charts[h]}</figcaption>\n${svg}\n<p class="legend">${t.html.legend}</p></figure>`;
}
