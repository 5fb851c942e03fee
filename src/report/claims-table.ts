// The central section: each claim of the document beside what this machine measured, with a verdict.
import type { Claim } from '../claims/schema.js';
import { judgeClaims, versionMatches } from '../claims/verdict.js';
import type { ClaimVerdict, EnvResult, RunResults, Verdict } from '../results/schema.js';
import { headlineLines } from './headline.js';
import { formatFactor, formatMetric, formatValue, table } from './format.js';
import type { Messages } from './i18n/en.js';
import type { Lang } from './i18n/index.js';

/** The claims section: verdict counts and one row per verdict (judged here when the results hold none). */
export function claimsSection(results: RunResults, claims: readonly Claim[], lang: Lang, t: Messages): string {
  const byId = new Map(claims.map((c) => [c.id, c]));
  const verdicts = results.claims.length ? results.claims : judgeClaims(claims, results.environments);
  const [cells, all] = headlineLines(verdicts, claims, t);
  const rows = verdicts.map((v) => {
    const claim = byId.get(v.claimId);
    const env = results.environments.find((e) => e.name === v.env);
    return [
      `\`${v.claimId}\``,
      claim?.where ?? '',
      claim?.says[lang] ?? '',
      measuredText(v, claim, env, t),
      env?.label ?? '—',
      verdictText(v, claim, results.environments, lang, t),
    ];
  });
  const header = [t.cols.claim, t.cols.where, t.cols.says, t.cols.here, t.cols.on, t.cols.verdict];
  return [`## ${t.headings.claims}`, `**${cells}**`, all, table(header, rows)].join('\n\n');
}

/** What was measured for a claim, as plain text: "24.6 MB (CI …)", "shared", "3.11.2" or "—". */
export function measuredText(v: ClaimVerdict, claim: Claim | undefined, env: EnvResult | undefined, t: Messages): string {
  if (!v.measured) return '—';
  const { value, unit } = v.measured;
  if (typeof value === 'boolean') return claim?.check === 'holds' ? t.holdsValue[`${value}`] : t.isolatedValue[`${value}`];
  if (claim?.check === 'security' && typeof value === 'string') return securityText(value, t);
  if (typeof value === 'string') return value;
  const metricId = claim && 'metric' in claim ? claim.metric : undefined;
  const metric = metricId ? env?.metrics[metricId] : undefined;
  const shown = metric ? formatMetric(metric, t.ci) : formatValue(value, asUnit(unit));
  const than = claim?.check === 'less-than' ? env?.metrics[claim.than] : undefined;
  return than ? t.lessThan(shown, formatValue(than.value, than.unit)) : shown;
}

function asUnit(unit: string | undefined): 'ms' | 'bytes' | 'count' {
  return unit === 'ms' || unit === 'bytes' ? unit : 'count';
}

/** The verdict as a symbol and words, e.g. "✗ off by 12× (lower)" or "— not measured: why". */
export function verdictText(
  v: ClaimVerdict,
  claim: Claim | undefined,
  envs: readonly EnvResult[],
  lang: Lang,
  t: Messages,
): string {
  const guest = guestOf(envs.find((e) => e.name === v.env), t);
  const words = verdictWords(v, claim, envs, lang, t);
  const caveat = (claim?.check === 'range' || claim?.check === 'point') && claim.caveat && v.verdict !== 'not-measured' ? claim.caveat[lang] : undefined;
  const text = caveat ? `${words}; ${caveat}` : words;
  return guest ? `${text} — ${guest}` : text;
}

/** "on the full-OS guest (init systemd; …; 2048 MiB, 2 vCPU; TCG …)" for a VM environment, else undefined. */
export function guestOf(env: EnvResult | undefined, t: Messages): string | undefined {
  const f = env?.facts;
  if (env?.kind !== 'vm' || !f?.['vm.profile']) return undefined;
  return t.onGuest({ profile: f['vm.profile'], init: f['vm.init'] ?? '?', boot: f['vm.boot'] ?? '?', memoryMiB: f['vm.memoryMiB'] ?? '?', cpus: f['vm.cpus'] ?? '?', accel: f['vm.accel'] ?? '?' });
}

function verdictWords(v: ClaimVerdict, claim: Claim | undefined, envs: readonly EnvResult[], lang: Lang, t: Messages): string {
  const dir = direction(v, claim, t);
  const factor = v.factor === undefined ? '' : formatFactor(v.factor);
  const byVerdict: Record<Verdict, () => string> = {
    confirmed: () => t.verdict.confirmed,
    'within-2x': () => t.verdict.withinTwo(factor, dir),
    off: () => (factor ? t.verdict.off(factor, dir) : t.verdict.offNoFactor),
    refuted: () => t.verdict.refuted,
    inconclusive: () => t.verdict.inconclusive(v.why ?? ''),
    info: () => t.verdict.info(infoWhy(v, claim, lang, t)),
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
  return v.why ?? '';
}

/** A security claim's measured code ("kernel=guest root=unmeasured") in the report's language. */
function securityText(code: string, t: Messages): string {
  const part = (k: string) => new RegExp(`${k}=(\\S+)`).exec(code)?.[1] ?? 'unmeasured';
  return t.spectrum.security(t.spectrum.kernel[part('kernel')] ?? part('kernel'), t.spectrum.root[part('root')] ?? part('root'));
}

function infoWhy(v: ClaimVerdict, claim: Claim | undefined, lang: Lang, t: Messages): string {
  if (claim?.check === 'security') return claim.rest[lang];
  if (claim?.check === 'equals' && typeof v.measured?.value === 'string') return t.verdict.version(claim.value, versionMatches(v.measured.value, claim.value));
  if ((claim?.check === 'range' || claim?.check === 'point') && claim.notComparable) return claim.notComparable[lang];
  return v.why ?? '';
}
