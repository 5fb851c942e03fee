// The document's "구체적 비교표" (rows × venv/Docker/VM) filled with what was measured, each cell marked agree/disagree.
import type { Claim } from '../claims/schema.js';
import { KINDS, type Kind } from '../drivers/types.js';
import type { ClaimVerdict, EnvResult, Verdict } from '../results/schema.js';
import { measuredText, verdictText } from './claims-table.js';
import { esc, htmlTable, inline } from './html-util.js';
import type { Messages } from './i18n/en.js';
import type { Lang } from './i18n/index.js';

/** The table's rows in the document's order, then the kernel row of "스펙트럼으로 보기". */
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
  'kernel',
] as const;
export type TableRow = (typeof TABLE_ROWS)[number];

/** The claim behind a cell: `<kind>.table.<row>`, the kernel row from the spectrum section. */
export function cellClaimId(row: TableRow, kind: Kind): string {
  return row === 'kernel' ? `${kind}.spectrum.kernel` : `${kind}.table.${row}`;
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

const SYMBOL: Record<Agreement, string> = { agree: '✓', close: '≈', disagree: '✗', inconclusive: '◌', unknown: '—' };

function cellHtml(row: TableRow, kind: Kind, claims: ReadonlyMap<string, Claim>, verdicts: readonly ClaimVerdict[], envs: readonly EnvResult[], lang: Lang, t: Messages) {
  const id = cellClaimId(row, kind);
  const claim = claims.get(id);
  const v = verdicts.find((x) => x.claimId === id);
  const env = envs.find((e) => e.name === v?.env);
  const agreement = agreementOf(v?.verdict);
  const measured = v ? measuredText(v, claim, env, t) : '—';
  const version = row === 'python-version' && env?.facts['python.version'] ? ` (${env.facts['python.version']})` : '';
  const verdict = v ? verdictText(v, claim, envs, lang, t) : t.html.noClaim;
  const html = `<span class="doc-says">${esc(t.html.docPrefix)}: ${esc(claim?.says[lang] ?? '—')}</span>
<span class="measured">${inline(measured + version)}</span>
${env ? `<span class="on">${esc(t.measuredOn(env.label))}</span>` : ''}
<span class="mark"><span aria-hidden="true">${SYMBOL[agreement]}</span> ${esc(t.html.agreement[agreement])}</span>`;
  return { html, cls: `cell ${agreement}`, title: `${id}: ${verdict}` };
}

/** The comparison table as HTML: one row per item, one column per kind, each cell doc value / measured / mark. */
export function comparisonTable(claims: readonly Claim[], verdicts: readonly ClaimVerdict[], envs: readonly EnvResult[], lang: Lang, t: Messages): string {
  const byId = new Map(claims.map((c) => [c.id, c]));
  const rows = TABLE_ROWS.map((row) => [
    { html: esc(t.html.tableRows[row]) },
    ...KINDS.map((kind) => cellHtml(row, kind, byId, verdicts, envs, lang, t)),
  ]);
  return htmlTable([t.cols.item, ...KINDS.map((k) => t.kinds[k])], rows, 'doc-table', true);
}
