// Turns (claim, measurements) into a verdict: pure, no I/O. A sampled number is judged by its interval, not its median alone.
import type { Kind } from '../drivers/types.js';
import type { ClaimVerdict, EnvResult, MetricResult } from '../results/schema.js';
import type { Claim } from './schema.js';
import { hasSecurityProbes, judgeSecurity } from './security.js';

type Judged = Omit<ClaimVerdict, 'claimId' | 'kind'>;
type Measurable = Exclude<Claim, { check: 'unmeasurable' }>;
type Verdicted = Pick<ClaimVerdict, 'verdict' | 'factor' | 'why'>;

/** Factor within which a number outside the document's range counts as "within 2×". */
const WITHIN_FACTOR = 2;

/** A verdict for every claim, from the first completed environment of its kind that measured it. */
export function judgeClaims(claims: readonly Claim[], environments: readonly EnvResult[]): ClaimVerdict[] {
  return claims.map((claim) => ({ claimId: claim.id, kind: claim.kind, ...judge(claim, environments) }));
}

function judge(claim: Claim, environments: readonly EnvResult[]): Judged {
  if (claim.check === 'unmeasurable') return { verdict: 'not-measured', why: claim.why.en };
  const ofKind = environments.filter((e) => e.kind === claim.kind);
  const env = ofKind.find((e) => e.status === 'completed' && has(claim, e, environments));
  if (env) return { env: env.name, ...judgeIn(claim, env, environments) };
  const completed = ofKind.find((e) => e.status === 'completed');
  if (completed && (claim.check === 'rank' || claim.check === 'ratio')) {
    const missing = crossKindMissing(claim, { ...peers(environments), [completed.kind]: completed });
    return { env: completed.name, verdict: 'not-measured', why: `the comparison across kinds lacks ${missing} (that kind did not complete, or did not measure it)` };
  }
  if (completed) return { env: completed.name, verdict: 'not-measured', why: `${completed.name} did not measure ${needs(claim)}` };
  const other = ofKind[0];
  if (other) {
    const why = `${other.name} ${other.status}${other.reason ? `: ${other.reason}` : ''}`;
    return { env: other.name, verdict: 'not-measured', why };
  }
  return { verdict: 'not-measured', why: `no ${claim.kind} environment in this run` };
}

/** The completed environment of each kind a cross-kind claim compares (the first of its kind, as in the report). */
function peers(environments: readonly EnvResult[]): Partial<Record<Kind, EnvResult>> {
  const out: Partial<Record<Kind, EnvResult>> = {};
  for (const e of environments) if (e.status === 'completed' && !out[e.kind]) out[e.kind] = e;
  return out;
}

/** Whether an environment holds what the claim needs (for cross-kind claims: every kind compared has it too). */
function has(claim: Measurable, env: EnvResult, environments: readonly EnvResult[]): boolean {
  switch (claim.check) {
    case 'range':
    case 'point':
      return claim.metric in env.metrics;
    case 'less-than':
      return claim.metric in env.metrics && claim.than in env.metrics;
    case 'isolation':
      return env.probes.some((p) => p.id === claim.probe);
    case 'equals':
    case 'holds':
      return claim.fact in env.facts;
    case 'security':
      return hasSecurityProbes(env);
    case 'rank':
    case 'ratio':
      return crossKindMissing(claim, { ...peers(environments), [env.kind]: env }) === undefined;
  }
}

function needs(claim: Measurable): string {
  switch (claim.check) {
    case 'range':
    case 'point':
      return claim.metric;
    case 'less-than':
      return `${claim.metric} and ${claim.than}`;
    case 'isolation':
      return `the ${claim.probe} probe`;
    case 'equals':
    case 'holds':
      return claim.fact;
    case 'security':
      return 'the syscall-kernel and root-mapping probes';
    case 'rank':
    case 'ratio':
      return 'the cross-kind comparison';
  }
}

/** The first missing "kind: metric" of a cross-kind claim, or undefined when every kind compared measured it. */
function crossKindMissing(claim: Extract<Measurable, { check: 'rank' | 'ratio' }>, envs: Partial<Record<Kind, EnvResult>>): string | undefined {
  const wanted: [Kind, string][] =
    claim.check === 'ratio'
      ? [[claim.kind, claim.metric], [claim.over, claim.metric]]
      : claim.by.flatMap((m) => Object.entries(m) as [Kind, string][]);
  const miss = wanted.find(([k, id]) => !envs[k]?.metrics[id]);
  return miss && `${miss[0]}: ${miss[1]}`;
}

function judgeIn(claim: Measurable, env: EnvResult, environments: readonly EnvResult[]): Judged {
  if ((claim.check === 'range' || claim.check === 'point') && claim.notComparable) {
    return { measured: measuredOf(env.metrics[claim.metric]!), verdict: 'info', why: claim.notComparable.en };
  }
  switch (claim.check) {
    case 'range': {
      const m = env.metrics[claim.metric]!;
      return { measured: measuredOf(m), ...judgeMetric(m, claim.range[0], claim.range[1], 'range') };
    }
    case 'point': {
      const m = env.metrics[claim.metric]!;
      const [lo, hi] = [claim.value * (1 - claim.tolerance), claim.value * (1 + claim.tolerance)];
      return { measured: measuredOf(m), ...judgeMetric(m, lo, hi, 'point', claim.value) };
    }
    case 'less-than': {
      const a = env.metrics[claim.metric]!;
      const b = env.metrics[claim.than]!;
      return { measured: measuredOf(a), ...judgeLess(a, b, claim.metric, claim.than) };
    }
    case 'isolation': {
      const p = env.probes.find((q) => q.id === claim.probe)!;
      if (p.isolated === null) return { verdict: 'not-measured', why: p.error ?? p.summary };
      return { measured: { value: p.isolated }, verdict: p.isolated === claim.isolated ? 'confirmed' : 'refuted', why: p.summary };
    }
    case 'equals': {
      const v = env.facts[claim.fact]!;
      const same = versionMatches(v, claim.value) ? 'the same version' : 'another version';
      return { measured: { value: v }, verdict: 'info', why: `the document printed the version it happened to have (${claim.value}); this run has ${same}. A version is not a property of the environment kind` };
    }
    case 'holds': {
      const v = env.facts[claim.fact]!;
      const [answer, ...rest] = v.split(':');
      const evidence = rest.join(':').trim();
      if (answer !== 'yes' && answer !== 'no') return { measured: { value: v }, verdict: 'not-measured', why: v };
      return { measured: { value: answer === 'yes' }, verdict: answer === 'yes' ? 'confirmed' : 'refuted', why: evidence };
    }
    case 'security':
      return judgeSecurity(claim, env);
    case 'rank':
      return judgeRank(claim, { ...peers(environments), [env.kind]: env });
    case 'ratio':
      return judgeRatio(claim, { ...peers(environments), [env.kind]: env });
  }
}

function measuredOf(m: MetricResult): NonNullable<ClaimVerdict['measured']> {
  return { value: m.value, unit: m.unit };
}

/** The span a verdict may rely on: the 95% CI; all samples where n is too small for one; or the single value. */
export function spanOf(m: MetricResult): { lo: number; hi: number; basis: 'ci' | 'samples' | 'single'; n: number } {
  if (!m.stats || m.stats.n < 2) return { lo: m.value, hi: m.value, basis: 'single', n: 1 };
  if (m.stats.ci95) return { lo: m.stats.ci95[0], hi: m.stats.ci95[1], basis: 'ci', n: m.stats.n };
  return { lo: m.stats.min, hi: m.stats.max, basis: 'samples', n: m.stats.n };
}

function spanWords(s: ReturnType<typeof spanOf>): string {
  if (s.basis === 'ci') return `its 95% CI (${round(s.lo)}–${round(s.hi)}, n=${s.n})`;
  if (s.basis === 'samples') return `all ${s.n} samples (${round(s.lo)}–${round(s.hi)}; n=${s.n} is too few for a 95% interval)`;
  return 'the single value';
}

const round = (x: number) => (Math.abs(x) >= 100 ? Math.round(x).toString() : x.toPrecision(3));

/**
 * Verdict of a metric against the band [lo, hi] (a range, or a point ± tolerance): confirmed when its whole span lies
 * inside; off or within 2× when the whole span lies outside (the factor is the median's, the verdict the nearest
 * bound's); inconclusive when the span crosses the band's edge or the 2× line.
 */
export function judgeMetric(m: MetricResult, lo: number, hi: number, kind: 'range' | 'point', value?: number): Verdicted {
  const span = spanOf(m);
  const basis = span.basis === 'single' ? {} : { why: `judged on ${spanWords(span)}` };
  if (span.lo >= lo && span.hi <= hi) return { verdict: 'confirmed', ...basis };
  if (span.hi >= lo && span.lo <= hi) {
    return { verdict: 'inconclusive', why: `${spanWords(span)} crosses the document's bound (${round(span.lo < lo ? lo : hi)})` };
  }
  const factorOf = (x: number) => (kind === 'point' && value !== undefined ? pointFactor(x, value) : rangeFactor(x, lo, hi));
  const median = factorOf(m.value);
  const nearest = factorOf(span.hi < lo ? span.hi : span.lo);
  if (median === undefined || nearest === undefined) return { verdict: 'off', ...basis };
  if (nearest > WITHIN_FACTOR) return { verdict: 'off', factor: median, ...basis };
  if (median <= WITHIN_FACTOR) return { verdict: 'within-2x', factor: median, ...basis };
  return { verdict: 'inconclusive', factor: median, why: `${spanWords(span)} crosses the 2× line` };
}

function rangeFactor(x: number, lo: number, hi: number): number | undefined {
  const f = x > hi ? x / hi : x > 0 ? lo / x : undefined;
  return f !== undefined && Number.isFinite(f) ? f : undefined;
}

function pointFactor(x: number, value: number): number | undefined {
  return x > 0 ? Math.max(x / value, value / x) : undefined;
}

/** Verdict of a single number against [lo, hi]: confirmed inside, else by the factor it lies outside. */
export function judgeNumber(measured: number, lo: number, hi: number): Pick<ClaimVerdict, 'verdict' | 'factor'> {
  const { verdict, factor } = judgeMetric({ unit: 'count', value: measured, method: '' }, lo, hi, 'range');
  return factor === undefined ? { verdict } : { verdict, factor };
}

/** Verdict of a single number against the document's value ± tolerance; the factor is measured/value (≥ 1 either way). */
export function judgePoint(measured: number, value: number, tolerance: number): Pick<ClaimVerdict, 'verdict' | 'factor'> {
  const { verdict, factor } = judgeMetric({ unit: 'count', value: measured, method: '' }, value * (1 - tolerance), value * (1 + tolerance), 'point', value);
  return factor === undefined ? { verdict } : { verdict, factor };
}

/** a < b, each by its span: confirmed when a's span lies wholly below b's, refuted when wholly at or above it. */
function judgeLess(a: MetricResult, b: MetricResult, an: string, bn: string): Verdicted {
  const [sa, sb] = [spanOf(a), spanOf(b)];
  const why = `${an} ${round(a.value)} vs ${bn} ${round(b.value)}`;
  if (sa.hi < sb.lo) return { verdict: 'confirmed', why: `${why}: lower` };
  if (sa.lo >= sb.hi) return { verdict: 'refuted', why: `${why}: not lower` };
  return { verdict: 'inconclusive', why: `${why}: their spans overlap` };
}

/**
 * Rank of the claim's kind among the kinds (1 = smallest) on each measure; confirmed when every measure gives the
 * claimed rank with the neighbours' spans apart, refuted when one measure gives another rank with spans apart.
 */
function judgeRank(claim: Extract<Measurable, { check: 'rank' }>, envs: Partial<Record<Kind, EnvResult>>): Judged {
  const outcomes = claim.by.map((measure) => {
    const rows = (Object.entries(measure) as [Kind, string][]).map(([k, id]) => ({ k, id, m: envs[k]!.metrics[id]! }));
    rows.sort((x, y) => x.m.value - y.m.value);
    const rank = rows.findIndex((r) => r.k === claim.kind) + 1;
    const apart = rows.every((r, i) => i === 0 || spanOf(rows[i - 1]!.m).hi < spanOf(r.m).lo);
    const text = rows.map((r) => `${r.k} ${round(r.m.value)} ${r.m.unit}`).join(' < ');
    return { rank, apart, text };
  });
  const why = `${outcomes.map((o) => o.text).join('; ')}${outcomes.some((o) => !o.apart) ? ' (some spans overlap)' : ''}`;
  const ranks = outcomes.map((o) => o.rank).join('/');
  const measured = { value: `rank ${ranks} of ${Object.keys(claim.by[0]!).length}` };
  if (outcomes.some((o) => o.rank !== claim.rank && o.apart)) return { measured, verdict: 'refuted', why };
  if (outcomes.every((o) => o.rank === claim.rank && o.apart)) return { measured, verdict: 'confirmed', why };
  return { measured, verdict: 'inconclusive', why };
}

/** kind's metric over another kind's: confirmed above `above` when the spans say so (lower span of the ratio). */
function judgeRatio(claim: Extract<Measurable, { check: 'ratio' }>, envs: Partial<Record<Kind, EnvResult>>): Judged {
  const a = envs[claim.kind]!.metrics[claim.metric]!;
  const b = envs[claim.over]!.metrics[claim.metric]!;
  const [sa, sb] = [spanOf(a), spanOf(b)];
  const ratio = a.value / b.value;
  const [lo, hi] = [sa.lo / sb.hi, sa.hi / sb.lo];
  const why = `${claim.metric}: ${claim.kind} ${round(a.value)} ÷ ${claim.over} ${round(b.value)} = ${round(ratio)}× (from the spans: ${round(lo)}–${round(hi)}×)`;
  const measured = { value: `${round(ratio)}× ${claim.over}` };
  if (lo > claim.above) return { measured, verdict: 'confirmed', factor: ratio, why };
  if (hi <= claim.above) return { measured, verdict: 'refuted', why };
  return { measured, verdict: 'inconclusive', why };
}

/** Exact match, or the document names a version prefix ("3.9" matches "3.9.18"). */
export function versionMatches(measured: string, documented: string): boolean {
  const m = measured.trim();
  return m === documented || m.startsWith(`${documented}.`);
}
