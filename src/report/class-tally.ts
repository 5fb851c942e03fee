// The class's comparison table: per cell of the document's table, on how many machines the claim held.
import type { Claim } from '../claims/schema.js';
import { judgeClaims } from '../claims/verdict.js';
import { KINDS, type Kind } from '../drivers/types.js';
import type { ClaimVerdict, RunResults } from '../results/schema.js';
import { agreementOf, cellClaimId, TABLE_ROWS, type Agreement, type TableRow } from './comparison-table.js';
import { esc, htmlTable } from './html-util.js';
import type { Messages } from './i18n/en.js';
import type { Lang } from './i18n/index.js';

/** How many machines agree (the claim held), are close, disagree, are inconclusive, or did not judge it. */
export type Tally = Record<Agreement, number>;

/** A machine's verdicts, judged here from its measurements (what a submission says its verdicts were is not trusted). */
export function verdictsOf(r: RunResults, claims: readonly Claim[]): ClaimVerdict[] {
  return judgeClaims(claims, r.environments);
}

/** Counts, for one claim, each machine's agreement (a machine without a verdict counts as not measured). */
export function tallyClaim(id: string, verdicts: readonly (readonly ClaimVerdict[])[]): Tally {
  const tally: Tally = { agree: 0, close: 0, disagree: 0, inconclusive: 0, unknown: 0 };
  for (const vs of verdicts) tally[agreementOf(vs.find((v) => v.claimId === id)?.verdict)] += 1;
  return tally;
}

/** The colour of a cell: the agreement most machines that measured it had (unknown when none did). */
export function majority(t: Tally): Agreement {
  const order: Agreement[] = ['agree', 'close', 'disagree', 'inconclusive'];
  const best = order.reduce((a, b) => (t[b] > t[a] ? b : a));
  return t[best] > 0 ? best : 'unknown';
}

/** The machines where the claim did not hold, by agreement; only the non-zero counts. */
function rest(tally: Tally, t: Messages): string {
  return (['close', 'disagree', 'inconclusive', 'unknown'] as const).filter((a) => tally[a] > 0).map((a) => t.classroom.breakdown[a](tally[a])).join(' · ');
}

function cell(row: TableRow, kind: Kind, byId: ReadonlyMap<string, Claim>, verdicts: readonly (readonly ClaimVerdict[])[], lang: Lang, t: Messages) {
  const id = cellClaimId(row, kind);
  const tally = tallyClaim(id, verdicts);
  const measured = tally.agree + tally.close + tally.disagree;
  const held = measured ? t.classroom.held(tally.agree, measured) : t.classroom.heldNone;
  const html = `<div class="tally"><span class="doc-says">${esc(t.html.docPrefix)}: ${esc(byId.get(id)?.says[lang] ?? '—')}</span>
<span class="measured">${esc(held)}</span>
<span class="mark">${esc(rest(tally, t))}</span></div>`;
  return { html, cls: `cell ${majority(tally)}`, title: id };
}

/** The document's comparison table with, in each cell, how many of the class's machines the claim held on. */
export function classComparisonTable(runs: readonly RunResults[], claims: readonly Claim[], lang: Lang, t: Messages): string {
  const byId = new Map(claims.map((c) => [c.id, c]));
  const verdicts = runs.map((r) => verdictsOf(r, claims));
  const rows = TABLE_ROWS.map((row) => [{ html: esc(t.html.tableRows[row]) }, ...KINDS.map((kind) => cell(row, kind, byId, verdicts, lang, t))]);
  return htmlTable([t.cols.item, ...KINDS.map((k) => t.kinds[k])], rows, 'doc-table class-table', true);
}
