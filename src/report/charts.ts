// Inline SVG bar charts: one horizontal bar per environment (median), 95% CI whiskers, the document's value as a band.
import type { Kind } from '../drivers/types.js';
import type { MetricResult } from '../results/schema.js';
import { ciPart, formatValue, scaleFor, type CiLabels } from './format.js';
import { esc } from './html-util.js';

/** One bar: an environment's number, or why it has none, with the document's range beside it. */
export interface ChartRow {
  label: string;
  sublabel: string;
  kind: Kind;
  env: string;
  metric?: MetricResult;
  missing?: string;
  doc?: { lo: number; hi: number; text: string };
  /** A word after the value saying how to read it (e.g. a time taken under emulation); the bar is drawn faded. */
  tag?: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  unit: 'ms' | 'bytes';
  rows: ChartRow[];
}

/** An axis: value -> x, its tick values, and whether it is logarithmic. */
export interface Axis {
  x: (v: number) => number;
  ticks: number[];
  log: boolean;
}

/** The charts' geometry (SVG units): width, the plot's left and right edge, the top margin, one row's height. */
export const CHART = { W: 1000, X0: 280, X1: 790, TOP: 34, ROW: 74 } as const;
const { W, X0, X1, TOP, ROW } = CHART;
/** A spread wider than this (max / smallest positive) is drawn on a log scale. */
const LOG_RATIO = 30;

/** The axis for a set of values: log decades when they span more than LOG_RATIO, else linear from 0. */
export function axisFor(values: readonly number[]): Axis {
  const hi = Math.max(...values, Number.MIN_VALUE);
  const lo = Math.min(...values.filter((v) => v > 0), hi);
  if (hi / lo > LOG_RATIO) {
    const a = Math.floor(Math.log10(lo));
    const b = Math.max(Math.ceil(Math.log10(hi)), a + 1);
    const x = (v: number) => X0 + ((Math.log10(Math.max(v, 10 ** a)) - a) / (b - a)) * (X1 - X0);
    return { x, ticks: Array.from({ length: b - a + 1 }, (_, i) => 10 ** (a + i)), log: true };
  }
  const step = niceStep(hi / 5);
  const top = Math.ceil(hi / step) * step;
  const x = (v: number) => X0 + (Math.max(v, 0) / top) * (X1 - X0);
  return { x, ticks: Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step), log: false };
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
}

/** A tick label without trailing zeros: "1 ms", "100 s", "10 GB". */
export function tickLabel(v: number, unit: 'ms' | 'bytes'): string {
  if (v === 0) return '0';
  const s = unit === 'ms' && v >= 60_000 && v % 60_000 !== 0 ? { div: 1000, suffix: 's' } : scaleFor(v, unit);
  return `${+(v / s.div).toPrecision(3)} ${s.suffix}`;
}

/** Values the axis must show: numbers, CIs and the document's ranges (open-ended ones cut at 10× the largest other value). */
export function domain(rows: readonly ChartRow[]): number[] {
  const measured = rows.flatMap((r) =>
    r.metric ? [r.metric.value, ...(r.metric.stats?.ci95 ?? [])] : [],
  );
  const lows = rows.flatMap((r) => (r.doc && r.doc.lo > 0 ? [r.doc.lo] : []));
  const cap = measured.length ? 10 * Math.max(...measured, ...lows) : Infinity;
  const docs = rows.flatMap((r) => (r.doc ? [r.doc.lo, Math.min(r.doc.hi, cap)].filter((v) => v > 0) : []));
  return [...measured, ...docs];
}

/** A row's label and sublabel, right-aligned left of the plot. */
export function rowHead(label: string, sublabel: string, y: number): string {
  return `<text class="label" x="${X0 - 14}" y="${y + 28}" text-anchor="end">${esc(label)}</text>
<text class="sublabel" x="${X0 - 14}" y="${y + 52}" text-anchor="end">${esc(sublabel)}</text>`;
}

function rowSvg(r: ChartRow, i: number, axis: Axis, spec: ChartSpec, labels: ChartLabels): string {
  const y = TOP + i * ROW;
  const head = rowHead(r.label, r.sublabel, y);
  const doc = r.doc ? docSvg(r.doc, y, axis, spec.id, labels) : '';
  if (!r.metric) return `${head}<text class="missing" x="${X0 + 8}" y="${y + 28}">${esc(r.missing ?? '—')}</text>${doc}`;
  const m = r.metric;
  const shown = `${formatValue(m.value, m.unit)}${r.tag ? ` (${r.tag})` : ''}`;
  const ci = m.stats?.ci95 ?? undefined;
  const end = axis.x(m.value);
  const whisker = ci ? whiskerSvg(axis.x(ci[0]), axis.x(ci[1]), y + 21) : '';
  const part = ciPart(m, labels.ci);
  const ciText = part ? ` (${part})` : '';
  const labelX = Math.max(end, ci ? axis.x(ci[1]) : end) + 10;
  return `${head}<rect class="bar bar-${r.kind}${r.tag ? ' tagged' : ''}" data-env="${esc(r.env)}" x="${X0}" y="${y + 8}" width="${Math.max(end - X0, 2).toFixed(1)}" height="26"><title>${esc(`${r.label}: ${shown}${ciText}`)}</title></rect>${whisker}
<text class="value" x="${labelX.toFixed(1)}" y="${y + 28}">${esc(shown)}</text>${doc}`;
}

function whiskerSvg(lo: number, hi: number, cy: number): string {
  const cap = (x: number) => `<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${cy - 9}" y2="${cy + 9}"/>`;
  return `<g class="ci"><line x1="${lo.toFixed(1)}" x2="${hi.toFixed(1)}" y1="${cy}" y2="${cy}"/>${cap(lo)}${cap(hi)}</g>`;
}

/** Rough rendered width of 15px text: wide for Hangul/CJK, narrow for Latin. */
export function textWidth(text: string): number {
  return [...text].reduce((w, c) => w + (c.codePointAt(0)! >= 0x1100 ? 15 : 8.5), 0);
}

/** The document's label beside its band: right of it, else left of it, else cut to fit with an ellipsis. */
function docLabel(text: string, lo: number, hi: number, y: number): string {
  const w = textWidth(text);
  if (hi + 10 + w <= W || lo - 10 - w < X0) {
    let shown = text;
    while (shown.length > 1 && hi + 10 + textWidth(shown) > W) shown = `${[...shown].slice(0, -2).join('')}…`;
    return `<text class="doc-label" x="${(hi + 10).toFixed(1)}" y="${y}">${esc(shown)}</text>`;
  }
  return `<text class="doc-label" x="${(lo - 10).toFixed(1)}" y="${y}" text-anchor="end">${esc(text)}</text>`;
}

/** The document's range as a hatched band under row y, with its label. */
export function docSvg(doc: NonNullable<ChartRow['doc']>, y: number, axis: Axis, id: string, labels: ChartLabels): string {
  const lo = axis.x(doc.lo);
  const hi = Math.max(axis.x(Math.min(doc.hi, axis.ticks.at(-1)!)), lo + 3);
  const text = `${labels.doc}: ${doc.text}`;
  return `<rect class="doc" fill="url(#hatch-${id})" x="${lo.toFixed(1)}" y="${y + 42}" width="${(hi - lo).toFixed(1)}" height="14"><title>${esc(text)}</title></rect>
${docLabel(text, lo, hi, y + 55)}`;
}

export interface ChartLabels {
  doc: string;
  ci: CiLabels;
  log: string;
}

/** A self-contained SVG chart; rows without a number show why instead of a bar. */
export function barChart(spec: ChartSpec, labels: ChartLabels): string {
  const axis = axisFor(domain(spec.rows));
  const rows = spec.rows.map((r, i) => rowSvg(r, i, axis, spec, labels)).join('\n');
  return chartSvg({ id: spec.id, title: spec.title, unit: spec.unit, rows: spec.rows.length, cls: 'chart' }, axis, labels, rows);
}

/** The SVG around rows drawn on an axis: title, hatch pattern, grid and tick labels. */
export function chartSvg(c: { id: string; title: string; unit: 'ms' | 'bytes'; rows: number; cls: string }, axis: Axis, labels: ChartLabels, rows: string): string {
  const h = TOP + c.rows * ROW + 8;
  const grid = axis.ticks
    .map((v) => {
      const x = axis.x(v).toFixed(1);
      return `<line class="grid" x1="${x}" x2="${x}" y1="${TOP - 6}" y2="${h - 6}"/><text class="tick" x="${x}" y="${TOP - 12}" text-anchor="middle">${esc(tickLabel(v, c.unit))}</text>`;
    })
    .join('\n');
  const title = `${c.title}${axis.log ? ` (${labels.log})` : ''}`;
  const scaleNote = axis.log ? `<text class="tick" x="0" y="${TOP - 12}">${esc(labels.log)}</text>` : '';
  return `<svg class="${c.cls}" id="chart-${c.id}" data-scale="${axis.log ? 'log' : 'linear'}" viewBox="0 0 ${W} ${h}" role="img" aria-labelledby="chart-${c.id}-title" xmlns="http://www.w3.org/2000/svg">
<title id="chart-${c.id}-title">${esc(title)}</title>
<defs><pattern id="hatch-${c.id}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="hatch-bg" width="8" height="8"/><line class="hatch" x1="0" y1="0" x2="0" y2="8"/></pattern></defs>
${scaleNote}
${grid}
${rows}
</svg>`;
}
