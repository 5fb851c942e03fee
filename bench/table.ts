// The printed table: one line per comparison, columns padded to their widest cell.
import type { Row } from './lib.js';

const MET = (m: boolean | null) => (m === null ? '—' : m ? 'met' : 'MISSED');

/** Rows as a plain-text table (section | measure | isobench | reference | result | target | met). */
export function renderTable(rows: Row[]): string {
  const head = ['section', 'measure', 'isobench', 'reference', 'result', 'target', 'met'];
  const cells = rows.map((r) => [r.section, r.what, r.isobench, r.reference, r.result, r.target, MET(r.met)]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join(' | ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}

/** Rows as a Markdown table (for the README's performance section). */
export function renderMarkdownTable(rows: Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const head = '| section | measure | isobench | reference | result | target | met |\n|---|---|---|---|---|---|---|';
  return [head, ...rows.map((r) => `| ${[r.section, r.what, r.isobench, r.reference, r.result, r.target, MET(r.met)].map(esc).join(' | ')} |`)].join('\n');
}
