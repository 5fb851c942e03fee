// Number and Markdown formatting shared by the reports: units, significant digits, table cells.
import type { MetricResult } from '../results/schema.js';

type Unit = MetricResult['unit'];
interface Scale {
  div: number;
  suffix: string;
}

/** Three significant digits ("31.2", "1.23", "457"); whole numbers from 1000 up. */
export function sig3(x: number): string {
  if (x === 0) return '0';
  // Decided on the rounded value: 999.6 rounds to 1000, which toPrecision(3) would write as "1.00e+3".
  const s = x.toPrecision(3);
  return Math.abs(Number(s)) >= 1000 ? String(Math.round(x)) : s;
}

/** The display scale for a value: bytes in decimal kB/MB/GB (as the document), ms up to s and min. */
export function scaleFor(value: number, unit: Unit): Scale {
  const v = Math.abs(value);
  if (unit === 'bytes') {
    const steps: Scale[] = [
      { div: 1e12, suffix: 'TB' },
      { div: 1e9, suffix: 'GB' },
      { div: 1e6, suffix: 'MB' },
      { div: 1e3, suffix: 'kB' },
    ];
    return steps.find((s) => v >= s.div) ?? { div: 1, suffix: 'B' };
  }
  if (unit === 'ms') {
    if (v >= 60_000) return { div: 60_000, suffix: 'min' };
    if (v >= 1000) return { div: 1000, suffix: 's' };
    return { div: 1, suffix: 'ms' };
  }
  return { div: 1, suffix: '' };
}

/** A value in its unit: "31.2 ms", "1.23 s", "45.1 MB", "1234". */
export function formatValue(value: number, unit: Unit): string {
  if (unit === 'count') return String(Math.round(value));
  const s = scaleFor(value, unit);
  return `${sig3(value / s.div)} ${s.suffix}`;
}

/** A range in one scale: "30.1–33.0 ms". */
export function formatRange(lo: number, hi: number, unit: Unit): string {
  if (unit === 'count') return `${Math.round(lo)}–${Math.round(hi)}`;
  const s = scaleFor(hi, unit);
  return `${sig3(lo / s.div)}–${sig3(hi / s.div)} ${s.suffix}`;
}

/** A factor's number: "1.61", "12" (the language adds "×" or "배"). */
export function formatFactor(f: number): string {
  return f < 10 ? f.toPrecision(3) : String(Math.round(f));
}

/** How the interval of a median is named: its label, its real coverage, and the words for "no interval". */
export interface CiLabels {
  label: string;
  coverage: (pct: string) => string;
  none: (n: number) => string;
}

/** A coverage as a percentage with one decimal: 0.9785 -> "97.9". */
export function coveragePct(c: number): string {
  return (Math.floor(c * 1000) / 10).toFixed(1);
}

/** A metric with its statistics: "31.2 ms (95% CI 30.1–33.0, coverage 97.9%, n=10)", or "(n=5, too few …)". */
export function formatMetric(m: MetricResult, ci: CiLabels): string {
  const part = ciPart(m, ci);
  return part ? `${formatValue(m.value, m.unit)} (${part})` : formatValue(m.value, m.unit);
}

/** The interval part of a sampled metric, "95% CI 30.1–33.0, coverage 97.9%, n=10", or "n=1, too few …"; '' for a single value. */
export function ciPart(m: MetricResult, ci: CiLabels): string {
  if (!m.stats) return '';
  if (!m.stats.ci95 || m.stats.ciCoverage === null) return ci.none(m.stats.n);
  const [lo, hi] = m.stats.ci95;
  const cov = ci.coverage(coveragePct(m.stats.ciCoverage));
  if (m.unit === 'count') return `${ci.label} ${formatRange(lo, hi, m.unit)}, ${cov}, n=${m.stats.n}`;
  const s = scaleFor(m.value, m.unit);
  return `${ci.label} ${sig3(lo / s.div)}–${sig3(hi / s.div)}, ${cov}, n=${m.stats.n}`;
}

/** Text safe inside a Markdown table cell: pipes escaped, line breaks as <br>. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** A Markdown table from a header and rows (cells are escaped here). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

/** A fix cell and, for a row whose step failed, where its whole output is: "fix; the whole output: LINK". */
export function withLog(fix: string, link: string | undefined, label: string): string {
  if (!link) return fix;
  return `${fix ? `${fix}; ` : ''}${label}: ${link}`;
}
