// JUnit XML of the claim verdicts, for CI test views: one testcase per claim, one testsuite per results file.
import type { Claim } from '../claims/schema.js';
import { judgeClaims } from '../claims/verdict.js';
import type { ClaimVerdict, RunResults } from '../results/schema.js';
import { measuredText, verdictText } from './claims-table.js';
import { esc } from './html-util.js';
import { messages } from './i18n/index.js';

const t = messages('en');
/** Verdicts a CI view shows as skipped: nothing measured, an interval across the band, nothing shown by two instances. */
const UNJUDGED = new Set<ClaimVerdict['verdict']>(['not-measured', 'inconclusive', 'not-shown']);

/** Text safe in XML 1.0: escaped, without the control characters XML forbids. */
function xml(text: string): string {
  return esc(text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, ''));
}

function testcase(v: ClaimVerdict, claim: Claim | undefined, r: RunResults): string {
  const env = r.environments.find((e) => e.name === v.env);
  const verdict = verdictText(v, claim, r.environments, 'en', t);
  const open = `    <testcase classname="isobench.${v.kind}" name="${xml(v.claimId)}" time="0">`;
  const out = `      <system-out>${xml(`${claim?.says.en ?? ''} | measured: ${measuredText(v, claim, env, t)} | ${verdict}`)}</system-out>`;
  if (v.verdict === 'off' || v.verdict === 'refuted') return `${open}\n      <failure type="${v.verdict}" message="${xml(verdict)}"/>\n${out}\n    </testcase>`;
  if (UNJUDGED.has(v.verdict)) return `${open}\n      <skipped message="${xml(verdict)}"/>\n${out}\n    </testcase>`;
  return `${open}\n${out}\n    </testcase>`;
}

/** JUnit XML for the claims of one or more runs: refuted/off are failures, not-measured, inconclusive and not-shown are skipped. */
export function renderJunit(runs: readonly { name: string; results: RunResults }[], claims: readonly Claim[]): string {
  const byId = new Map(claims.map((c) => [c.id, c]));
  const suites = runs.map(({ name, results: r }) => {
    const verdicts = r.claims.length ? r.claims : judgeClaims(claims, r.environments);
    const failures = verdicts.filter((v) => v.verdict === 'off' || v.verdict === 'refuted').length;
    const skipped = verdicts.filter((v) => UNJUDGED.has(v.verdict)).length;
    const attrs = `name="${xml(`isobench claims: ${name}`)}" tests="${verdicts.length}" failures="${failures}" errors="0" skipped="${skipped}" timestamp="${xml(r.startedAt)}" hostname="${xml(r.host.hostname)}"`;
    return `  <testsuite ${attrs}>\n${verdicts.map((v) => testcase(v, byId.get(v.claimId), r)).join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="isobench">\n${suites.join('\n')}\n</testsuites>\n`;
}
