// A claim's measured value and verdict in words, with the band it was judged against (shared by every report).
import { METRICS, measureQuantity } from '../claims/metrics.js';
import type { Claim } from '../claims/schema.js';
import { judgeClaims, versionMatches } from '../claims/verdict.js';
import type { ClaimVerdict, EnvResult, RunResults, Verdict } from '../results/schema.js';
import { metricName } from './env-tables.js';
import { formatFactor, formatMetric, formatValue } from './format.js';
import type { Messages } from './i18n/en.js';
import type { Lang } from './i18n/index.js';

/** The verdicts of a run: those it stored, or today's rules applied to its environments when it stored none. */
export function verdictsOf(results: RunResults, claims: readonly Claim[]): ClaimVerdict[] {
  return results.claims.length ? results.claims : judgeClaims(claims, results.environments);
}

/** "rank 1–2/1 of 3" with each rank named by the one quantity it ranks, in the order of the claim's measures. */
function rankText(ranks: string, n: number, claim: Claim, t: Messages): string {
  const parts = ranks.split('/');
  if (claim.check !== 'rank' || parts.length !== claim.by.length) return t.reader.rankOf(ranks, n);
  const named = claim.by.map((m, i): [string, string] => {
    const q = measureQuantity(m);
    const [, rank, mark] = /^(.*?)([°*]?)$/.exec(parts[i]!)!;
    return [`${q ? t.likeness.quantity[q] : '?'}${mark}`, rank!];
  });
  const text = t.reader.rankBy(named, n);
  const legends = [ranks.includes('°') ? t.likeness.rankWorkload : '', ranks.includes('*') ? t.likeness.rankEmulated : ''].filter(Boolean);
  return legends.length ? `${text} (${legends.join('; ')})` : text;
}

/** What was measured for a claim, as plain text: "24.6 MB (CI …)", "shared", "3.11.2", "rank 1 of 3" or "—". */
export function measuredText(v: ClaimVerdict, claim: Claim | undefined, env: EnvResult | undefined, t: Messages): string {
  if (!v.measured) return '—';
  const { value, unit } = v.measured;
  if (typeof value === 'boolean') return claim?.check === 'holds' ? t.holdsValue[`${value}`] : t.isolatedValue[`${value}`];
  if (claim?.check === 'security' && typeof value === 'string') return securityText(value, t);
  if (typeof value === 'string') {
    const rank = claim?.check === 'rank' ? /^rank (.+) of (\d+)$/.exec(value) : null;
    if (rank) return rankText(rank[1]!, Number(rank[2]), claim!, t);
    const ratio = claim?.check === 'ratio' ? /^(.+)× (\S+)$/.exec(value) : null;
    const what = claim?.check === 'ratio' ? metricName(claim.metric, t) : undefined;
    return ratio ? t.reader.ratioOf(ratio[1]!, ratio[2]!, what) : value;
  }
  const metricId = claim && 'metric' in claim ? claim.metric : undefined;
  const metric = metricId ? env?.metrics[metricId] : undefined;
  const shown = metric ? formatMetric(metric, t.ci) : formatValue(value, asUnit(unit));
  const than = claim?.check === 'less-than' ? env?.metrics[claim.than] : undefined;
  return than ? t.lessThan(shown, formatValue(than.value, than.unit)) : shown;
}

function asUnit(unit: string | undefined): 'ms' | 'bytes' | 'count' {
  return unit === 'ms' || unit === 'bytes' ? unit : 'count';
}

/** The band a numeric claim is judged against, in words: "band: 1.00–10.0 GB; outside it: within 2× or off". */
export function bandText(claim: Claim | undefined, t: Messages): string | undefined {
  if (!claim) return undefined;
  if (claim.check === 'range' || claim.check === 'point') {
    const unit = METRICS[claim.metric].unit;
    const f = (x: number) => formatValue(x, unit);
    const band = claim.check === 'point' ? t.reader.bandPoint(f(claim.value), Math.round(claim.tolerance * 100)) : `${f(claim.range[0])}–${f(claim.range[1])}`;
    return `${t.reader.band(band)}; ${t.reader.bandTwo}`;
  }
  if (claim.check === 'rank') return t.reader.band(t.reader.rankBand);
  if (claim.check === 'ratio') return t.reader.ratioBand(claim.above);
  return undefined;
}

/** The verdict as a symbol and words, with its band, e.g. "✗ off by 12× (lower) · band: 10.0–50.0 MB; …". */
export function verdictText(v: ClaimVerdict, claim: Claim | undefined, envs: readonly EnvResult[], lang: Lang, t: Messages): string {
  const words = verdictWords(v, claim, envs, lang, t);
  const band = v.verdict === 'not-measured' || v.verdict === 'unlike' ? undefined : bandText(claim, t);
  const basis = v.basis && v.verdict !== 'not-measured' && v.verdict !== 'unlike' ? t.likeness.basis(v.basis) : undefined;
  const principle = claim?.check === 'differs' && claim.principle && v.verdict !== 'not-measured' ? claim.principle[lang] : undefined;
  return [words, band, basis, principle].filter(Boolean).join(' · ');
}

/** A verdict's note in the report's language (its English `why` when the note is unknown or absent). */
export function noteText(v: ClaimVerdict, t: Messages): string {
  return (v.note && t.reader.note(v.note.code, v.note.args)) ?? v.why ?? '';
}

function verdictWords(v: ClaimVerdict, claim: Claim | undefined, envs: readonly EnvResult[], lang: Lang, t: Messages): string {
  const dir = direction(v, claim, t);
  const factor = v.factor === undefined ? '' : formatFactor(v.factor);
  const shown = v.note && ['differs-host', 'differs-pair', 'rank'].includes(v.note.code) ? `: ${noteText(v, t)}` : '';
  const byVerdict: Record<Verdict, () => string> = {
    confirmed: () => `${t.verdict.confirmed}${shown}`,
    'within-2x': () => t.verdict.withinTwo(factor, dir),
    off: () => (factor ? t.verdict.off(factor, dir) : t.verdict.offNoFactor),
    refuted: () => `${t.verdict.refuted}${shown}`,
    inconclusive: () => t.verdict.inconclusive(noteText(v, t)),
    info: () => t.verdict.info(infoWhy(v, claim, lang, t)),
    'not-shown': () => t.reader.notShown(noteText(v, t)),
    unlike: () => t.likeness.unlike(noteText(v, t)),
    'not-measured': () => t.verdict.notMeasured(notMeasuredWhy(v, claim, envs, lang, t)),
  };
  return byVerdict[v.verdict]();
}

function direction(v: ClaimVerdict, claim: Claim | undefined, t: Messages): string {
  if (typeof v.measured?.value !== 'number' || !claim) return '';
  const reference = claim.check === 'point' ? claim.value : claim.check === 'range' ? claim.range[1] : undefined;
  if (reference === undefined) return '';
  return v.measured.value > reference ? t.higher : t.lower;
}

function notMeasuredWhy(v: ClaimVerdict, claim: Claim | undefined, envs: readonly EnvResult[], lang: Lang, t: Messages): string {
  if (claim?.check === 'unmeasurable') return claim.why[lang];
  const judged = envs.find((e) => e.name === v.env);
  if (claim?.check === 'security' && (!judged || judged.status === 'completed') && envs.some((e) => e.kind === v.kind)) return `${t.spectrum.undecided}; ${claim.rest[lang]}`;
  const env = envs.find((e) => e.name === v.env);
  if (env && env.status !== 'completed') return t.envNotRun(t.kinds[env.kind], t.status[env.status]);
  if (!envs.some((e) => e.kind === v.kind)) return t.noEnv(t.kinds[v.kind]);
  return noteText(v, t);
}

/** A security claim's measured code ("kernel=guest root=unmeasured") in the report's language. */
function securityText(code: string, t: Messages): string {
  const part = (k: string) => new RegExp(`${k}=(\\S+)`).exec(code)?.[1] ?? 'unmeasured';
  return t.spectrum.security(t.spectrum.kernel[part('kernel')] ?? part('kernel'), t.spectrum.root[part('root')] ?? part('root'));
}

function infoWhy(v: ClaimVerdict, claim: Claim | undefined, lang: Lang, t: Messages): string {
  if (claim?.check === 'security') return claim.rest[lang];
  if (claim?.check === 'equals' && typeof v.measured?.value === 'string') return t.verdict.version(claim.value, versionMatches(v.measured.value, claim.value));
  return noteText(v, t);
}
