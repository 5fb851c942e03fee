// The headline of the verdicts: per cell of the document's comparison table, not per claim (many claims rest on one
// measurement: the VM's disk alone decides several), with how many distinct measurements stand behind the claims.
import type { Claim } from '../claims/schema.js';
import { KINDS } from '../drivers/types.js';
import type { ClaimVerdict } from '../results/schema.js';
import { VERDICTS } from '../results/schema.js';
import { agreementOf, AGREEMENTS, cellClaimId, isEmulated, TABLE_ROWS, type Agreement } from './comparison-table.js';
import type { Messages } from './i18n/en.js';

/** What a verdict rests on: one metric, probe or fact of one environment, or one cross-kind comparison. */
export function observationKey(claim: Claim | undefined, v: ClaimVerdict): string | undefined {
  if (!claim || v.verdict === 'not-measured') return undefined;
  switch (claim.check) {
    case 'range':
    case 'point':
      return `${v.env}:${claim.metric}`;
    case 'less-than':
      return `${v.env}:${claim.metric}<${claim.than}`;
    case 'isolation':
      return `${v.env}:probe:${claim.probe}`;
    case 'differs':
      return `${claim.kind}:differs:${claim.probe}`;
    case 'equals':
    case 'holds':
      return `${v.env}:fact:${claim.fact}`;
    case 'security':
      return `${v.env}:probe:security`;
    case 'rank':
      return `rank:${JSON.stringify(claim.by)}`;
    case 'ratio':
      return `ratio:${claim.metric}:${claim.kind}/${claim.over}`;
    case 'unmeasurable':
      return undefined;
  }
}

/** Agreement counts over the cells of the document's comparison table (rows × kinds), and how many are emulated timings. */
export function tableCounts(verdicts: readonly ClaimVerdict[]): { cells: number; counts: Record<Agreement, number>; emulated: number } {
  const byId = new Map(verdicts.map((v) => [v.claimId, v]));
  const counts = Object.fromEntries(AGREEMENTS.map((a) => [a, 0])) as Record<Agreement, number>;
  let cells = 0;
  let emulated = 0;
  for (const row of TABLE_ROWS) {
    for (const kind of KINDS) {
      const v = byId.get(cellClaimId(row, kind));
      cells += 1;
      counts[agreementOf(v?.verdict)] += 1;
      if (isEmulated(v)) emulated += 1;
    }
  }
  return { cells, counts, emulated };
}

/** The two headline lines: the comparison table's cells, then the claims with the measurements behind them. */
export function headlineLines(verdicts: readonly ClaimVerdict[], claims: readonly Claim[], t: Messages): [string, string] {
  const { cells, counts, emulated } = tableCounts(verdicts);
  const byId = new Map(claims.map((c) => [c.id, c]));
  const observations = new Set(verdicts.map((v) => observationKey(byId.get(v.claimId), v)).filter(Boolean)).size;
  const perCell = AGREEMENTS.map((a) => `${t.html.agreement[a]} ${counts[a]}`).join(' · ');
  const perClaim = VERDICTS.map((v) => `${t.verdictNames[v]} ${verdicts.filter((c) => c.verdict === v).length}`).join(' · ');
  const table = t.headline.table(cells, perCell);
  return [emulated ? `${table}. ${t.reader.emulatedHeadline(emulated)}` : table, t.headline.claims(verdicts.length, observations, perClaim)];
}
