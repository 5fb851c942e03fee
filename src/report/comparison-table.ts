// The document's "구체적 비교표" (rows × venv/Docker/VM) filled with what was measured, each cell marked agree/disagree.
import { likeName } from './i18n/likeness.js';
import type { Claim } from '../claims/schema.js';
import { KINDS, type Kind } from '../drivers/types.js';
import type { ClaimVerdict, EnvResult, Verdict } from '../results/schema.js';
import { measuredText, verdictText } from './claims-table.js';
import { table } from './format.js';
import { esc, htmlTable, inline } from './html-util.js';
import type { Messages } from './i18n/en.js';
import type { Lang } from './i18n/index.js';

/** The table's rows exactly as the document prints them (11 rows × 3 kinds = 33 cells). */
export const TABLE_ROWS = [
  'size',
  'start',
  'os-install',
  'os-kind',
  'python-version',
  'port',
  'file',
  'process',
  'security',
  'efficiency',
  'portability',
] as const;
export type TableRow = (typeof TABLE_ROWS)[number];

/** The claim behind a cell: `<kind>.table.<row>`. */
export function cellClaimId(row: TableRow, kind: Kind): string {
  return `${kind}.table.${row}`;
}

export const AGREEMENTS = ['agree', 'close', 'disagree', 'inconclusive', 'unknown'] as const;
export type Agreement = (typeof AGREEMENTS)[number];

/** How a verdict reads in the table: agree, close (within 2×), disagree, inconclusive, or unknown (not judged). */
export function agreementOf(v: Verdict | undefined): Agreement {
  if (v === 'confirmed') return 'agree';
  if (v === 'within-2x') return 'close';
  if (v === 'off' || v === 'refuted') return 'disagree';
  if (v === 'inconclusive') return 'inconclusive';
  return 'unknown';
}

/** Whether a verdict is a timing under emulation, shown and not judged. */
export function isEmulated(v: ClaimVerdict | undefined): boolean {
  return v?.note?.code === 'emulated' || v?.note?.code === 'needs-kvm' || v?.note?.code === 'rank-emulated';
}

const SYMBOL: Record<Agreement, string> = { agree: '✓', close: '≈', disagree: '✗', inconclusive: '◌', unknown: '—' };

/** A cell's mark: the agreement's symbol and words, or, for a cell not judged, why (emulation, not shown here). */
export function markOf(v: ClaimVerdict | undefined, t: Messages): { symbol: string; words: string } {
  const agreement = agreementOf(v?.verdict);
  if (isEmulated(v)) return { symbol: '⚙', words: t.reader.emulatedMark };
  if (v?.verdict === 'not-shown') return { symbol: '◇', words: t.reader.notShownMark };
  if (v?.verdict === 'unlike') return { symbol: '≠', words: t.verdictNames.unlike };
  return { symbol: SYMBOL[agreement], words: t.html.agreement[agreement] };
}

interface CellParts {
  id: string;
  says: string;
  measured: string;
  env?: EnvResult;
  mark: { symbol: string; words: string };
  verdict: string;
  agreement: Agreement;
}

function cellParts(row: TableRow, kind: Kind, claims: ReadonlyMap<string, Claim>, verdicts: readonly ClaimVerdict[], envs: readonly EnvResult[], lang: Lang, t: Messages): CellParts {
  const id = cellClaimId(row, kind);
  const claim = claims.get(id);
  const v = verdicts.find((x) => x.claimId === id);
  const env = envs.find((e) => e.name === v?.env);
  const how = v?.basis && v.basis.docHow !== 'unstated' && v.verdict !== 'unlike' ? ` (${likeName(t.likeness.how, v.basis.how)})` : '';
  const measured = v ? measuredText(v, claim, env, t) + (v.measured ? how : '') : '—';
  const version = row === 'python-version' && env?.facts['python.version'] && !measured.includes(env.facts['python.version']) ? ` (${env.facts['python.version']})` : '';
  const verdict = v ? verdictText(v, claim, envs, lang, t) : t.html.noClaim;
  return { id, says: claim?.says[lang] ?? '—', measured: measured + version, ...(env ? { env } : {}), mark: markOf(v, t), verdict, agreement: agreementOf(v?.verdict) };
}

/** The comparison table as HTML: one row per item, one column per kind, each cell doc value / measured / mark. */
export function comparisonTable(claims: readonly Claim[], verdicts: readonly ClaimVerdict[], envs: readonly EnvResult[], lang: Lang, t: Messages): string {
  const byId = new Map(claims.map((c) => [c.id, c]));
  const rows = TABLE_ROWS.map((row) => [
    { html: esc(t.html.tableRows[row]) },
    ...KINDS.map((kind) => {
      const c = cellParts(row, kind, byId, verdicts, envs, lang, t);
      const html = `<span class="doc-says">${esc(t.html.docPrefix)}: ${esc(c.says)}</span>
<span class="measured">${inline(c.measured)}</span>
${c.env ? `<span class="on">${esc(c.env.name)}</span>` : ''}
<span class="mark"><span aria-hidden="true">${c.mark.symbol}</span> ${esc(c.mark.words)}</span>`;
      return { html, cls: `cell ${c.agreement}`, title: `${c.id}: ${c.verdict}` };
    }),
  ]);
  return htmlTable([t.cols.item, ...KINDS.map((k) => t.kinds[k])], rows, 'doc-table', true);
}

/** The comparison table as Markdown: each cell "document → measured, mark" in the document's row order. */
export function comparisonTableMarkdown(claims: readonly Claim[], verdicts: readonly ClaimVerdict[], envs: readonly EnvResult[], lang: Lang, t: Messages): string {
  const byId = new Map(claims.map((c) => [c.id, c]));
  const rows = TABLE_ROWS.map((row) => [
    t.html.tableRows[row],
    ...KINDS.map((kind) => {
      const c = cellParts(row, kind, byId, verdicts, envs, lang, t);
      const measured = c.measured === '—' ? '' : ` → ${c.measured}${c.env ? ` (${c.env.name})` : ''}`;
      return `${c.says}${measured} ${c.mark.symbol} ${c.mark.words}`;
    }),
  ]);
  return table([t.cols.item, ...KINDS.map((k) => t.kinds[k])], rows);
}
