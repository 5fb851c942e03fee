// Turns (claim, measurements) into a verdict: pure, no I/O. A sampled number is judged by its interval, not its median alone.
import type { Kind } from '../drivers/types.js';
import { formatValue } from '../report/format.js';
import type { ClaimVerdict, EnvResult, MetricResult } from '../results/schema.js';
import { emulationOf, isEmulationDependent } from './emulation.js';
import { WORKLOAD_QUANTITIES, measureQuantity, metricHow, type MetricId } from './metrics.js';
import { isLike, subjectOf } from './subjects.js';
import { judgeDiffers } from './differs.js';
import type { Claim } from './schema.js';
import { hasSecurityProbes, judgeSecurity } from './security.js';

type Judged = Omit<ClaimVerdict, 'claimId' | 'kind'>;
type Measurable = Exclude<Claim, { check: 'unmeasurable' }>;
type Verdicted = Pick<ClaimVerdict, 'verdict' | 'factor' | 'why' | 'note'>;

/** Factor within which a number outside the document's range counts as "within 2×". */
const WITHIN_FACTOR = 2;

/** A verdict for every claim, from the first completed environment of its kind that measured it. */
export function judgeClaims(claims: readonly Claim[], environments: readonly EnvResult[]): ClaimVerdict[] {
  return claims.map((claim) => ({ claimId: claim.id, kind: claim.kind, ...judge(claim, environments) }));
}

function judge(claim: Claim, environments: readonly EnvResult[]): Judged {
  if (claim.check === 'unmeasurable') return { verdict: 'not-measured', why: claim.why.en, note: { code: 'unmeasurable', args: {} } };
  const ofKind = environments.filter((e) => e.kind === claim.kind);
  const measured = ofKind.filter((e) => e.status === 'completed' && has(claim, e, environments));
  const env = ('doc' in claim ? measured.find((e) => isLike(claim.doc.on, e)) : undefined) ?? measured[0];
  if (env) return { env: env.name, ...judgeLike(claim, env, environments) };
  const completed = ofKind.find((e) => e.status === 'completed');
  if (completed && (claim.check === 'rank' || claim.check === 'ratio')) {
    const missing = crossKindMissing(claim, { ...peers(environments), [completed.kind]: completed });
    const why = `the comparison across kinds lacks ${missing} (that kind did not complete, or did not measure it)`;
    return { env: completed.name, verdict: 'not-measured', why, note: { code: 'cross-kind-missing', args: { missing: missing ?? '' } } };
  }
  if (completed) {
    const what = needs(claim);
    return { env: completed.name, verdict: 'not-measured', why: `${completed.name} did not measure ${what}`, note: { code: 'not-recorded', args: { env: completed.name, what } } };
  }
  const other = ofKind[0];
  if (other) {
    const why = `${other.name} ${other.status}${other.reason ? `: ${other.reason}` : ''}`;
    return { env: other.name, verdict: 'not-measured', why, note: { code: 'env-status', args: { env: other.name, status: other.status } } };
  }
  return { verdict: 'not-measured', why: `no ${claim.kind} environment in this run`, note: { code: 'no-env', args: { kind: claim.kind } } };
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
    case 'differs':
      return env.probes.some((p) => p.id === claim.probe);
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
    case 'differs':
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

/**
 * Judges only like with like: a number measured on something unlike the document's subject (a server guest against a
 * desktop install), or taken another way than the document's with no metric taken its way, is shown, not judged.
 * Every judged number carries its basis: the quantity, both ways and both subjects.
 */
function judgeLike(claim: Measurable, env: EnvResult, environments: readonly EnvResult[]): Judged {
  if (!('doc' in claim) || claim.check === 'rank') return judgeIn(claim, env, environments);
  const { what, how: docHow, on: docOn } = claim.doc;
  const how = metricHow(claim.metric, env.kind);
  const on = subjectOf(env) ?? 'unknown';
  const basis = { what, docHow, how, docOn, on };
  // What an unlike verdict shows: the number (a ratio's, from judging it, only on that path).
  const shownOf = () => {
    const shown = claim.check === 'ratio' ? judgeIn(claim, env, environments).measured : env.metrics[claim.metric] && measuredOf(env.metrics[claim.metric]!);
    return shown ? { measured: shown } : {};
  };
  if (!isLike(docOn, env)) {
    const why = `unlike: the document measured ${what} on ${docOn}; ${env.name} is ${on}: shown, not judged`;
    return { ...shownOf(), verdict: 'unlike', basis, why, note: { code: 'unlike-on', args: { env: env.name, docOn, on } } };
  }
  if (docHow !== 'unstated' && how !== docHow) {
    const why = `unlike: the document took ${what} by ${docHow}; ${claim.metric} is taken by ${how}: shown, not judged`;
    return { ...shownOf(), verdict: 'unlike', basis, why, note: { code: 'unlike-how', args: { metric: claim.metric, docHow, how } } };
  }
  return { ...judgeIn(claim, env, environments), basis };
}

function judgeIn(claim: Measurable, env: EnvResult, environments: readonly EnvResult[]): Judged {
  const emulated = emulatedTiming(claim, env, environments);
  if (emulated) return emulated;
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
      if (p.isolated === null) return { verdict: 'not-measured', why: p.error ?? p.summary, note: { code: 'probe-undetermined', args: { probe: p.id } } };
      return { measured: { value: p.isolated }, verdict: p.isolated === claim.isolated ? 'confirmed' : 'refuted', why: p.summary };
    }
    case 'equals': {
      const v = env.facts[claim.fact]!;
      const same = versionMatches(v, claim.value) ? 'the same version' : 'another version';
      return { measured: { value: v }, verdict: 'info', why: `the document printed the version it happened to have (${claim.value}); this run has ${same}. A version is not a property of the environment kind` };
    }
    case 'holds':
      return judgeHolds(claim, env.facts[claim.fact]!);
    case 'differs':
      return judgeDiffers(claim, environments);
    case 'security':
      return judgeSecurity(claim, env);
    case 'rank':
      return judgeRank(claim, { ...peers(environments), [env.kind]: env });
    case 'ratio':
      return judgeRatio(claim, { ...peers(environments), [env.kind]: env });
  }
}

/** A yes/no fact: "no" refutes; "yes" confirms, unless the claim needs evidence of a kind this "yes" lacks. */
function judgeHolds(claim: Extract<Measurable, { check: 'holds' }>, v: string): Judged {
  const [answer, ...rest] = v.split(':');
  const evidence = rest.join(':').trim();
  if (answer !== 'yes' && answer !== 'no') return { measured: { value: v }, verdict: 'not-measured', why: v, note: { code: 'fact-unclear', args: { fact: v } } };
  if (answer === 'yes' && claim.shownWhen && !new RegExp(claim.shownWhen.pattern).test(evidence)) {
    const why = `not shown here: ${claim.shownWhen.means.en}, and this run's evidence does not show that (${evidence})`;
    return { measured: { value: true }, verdict: 'not-shown', why, note: { code: 'holds-not-shown', args: { evidence } } };
  }
  return { measured: { value: answer === 'yes' }, verdict: answer === 'yes' ? 'confirmed' : 'refuted', why: evidence };
}

/** A timing claim on an environment under emulation (TCG): shown, not judged; the overhead ratio needs a hypervisor. */
function emulatedTiming(claim: Measurable, env: EnvResult, environments: readonly EnvResult[]): Judged | undefined {
  const envs = { ...peers(environments), [env.kind]: env };
  const timed: [EnvResult | undefined, string][] =
    claim.check === 'range' || claim.check === 'point' ? [[env, claim.metric]]
    : claim.check === 'less-than' ? [[env, claim.metric], [env, claim.than]]
    : claim.check === 'ratio' ? [[envs[claim.kind], claim.metric], [envs[claim.over], claim.metric]]
    : [];
  const hit = timed.find(([e, id]) => e && isEmulationDependent(id, e));
  if (!hit) return undefined;
  const [e, id] = hit as [EnvResult, string];
  const accel = emulationOf(e)!;
  const m = claim.check === 'range' || claim.check === 'point' || claim.check === 'less-than' ? env.metrics[claim.metric] : undefined;
  const shown = claim.check === 'ratio' ? judgeRatio(claim, envs).measured : m && measuredOf(m);
  const measured = shown ? { measured: shown } : {};
  if (claim.check === 'ratio') {
    const why = `a hypervisor's overhead needs a hardware-accelerated VM (KVM); ${e.name} ran under ${accel}, software emulation, whose slowdown is the emulator's`;
    return { ...measured, verdict: 'info', why, note: { code: 'needs-kvm', args: { env: e.name, accel } } };
  }
  const why = `${e.name}'s ${id} was taken under ${accel}, software emulation: shown, not judged against a hypervisor's figure`;
  return { ...measured, verdict: 'info', why, note: { code: 'emulated', args: { env: e.name, accel, metric: id } } };
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
  const spanArgs = { basis: span.basis, lo: span.lo, hi: span.hi, n: span.n, unit: m.unit };
  if (span.lo >= lo && span.hi <= hi) return { verdict: 'confirmed', ...basis };
  if (span.hi >= lo && span.lo <= hi) {
    const bound = span.lo < lo ? lo : hi;
    return { verdict: 'inconclusive', why: `${spanWords(span)} crosses the document's bound (${round(bound)})`, note: { code: 'crosses-bound', args: { ...spanArgs, bound } } };
  }
  const factorOf = (x: number) => (kind === 'point' && value !== undefined ? pointFactor(x, value) : rangeFactor(x, lo, hi));
  const median = factorOf(m.value);
  const nearest = factorOf(span.hi < lo ? span.hi : span.lo);
  // A median at or below zero has no factor, yet the span may still reach within 2× of the band: that crosses the line.
  const factor = median === undefined ? {} : { factor: median };
  if (nearest === undefined || nearest > WITHIN_FACTOR) return { verdict: 'off', ...factor, ...basis };
  if (median !== undefined && median <= WITHIN_FACTOR) return { verdict: 'within-2x', factor: median, ...basis };
  return { verdict: 'inconclusive', ...factor, why: `${spanWords(span)} crosses the 2× line`, note: { code: 'crosses-2x', args: spanArgs } };
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
  return { verdict: 'inconclusive', why: `${why}: their spans overlap`, note: { code: 'spans-overlap', args: {} } };
}

/**
 * Whether a lies clearly below b: sampled numbers by their spans (a CI, or all samples); two single values only when
 * b is above a and at least 2× a, since one value each carries no measure of its noise (0 is not below 0).
 */
export function clearlyBelow(a: MetricResult, b: MetricResult): boolean {
  const [sa, sb] = [spanOf(a), spanOf(b)];
  if (sa.basis === 'single' && sb.basis === 'single') return b.value > a.value && b.value >= WITHIN_FACTOR * a.value;
  return sa.hi < sb.lo;
}

/** The ranks a kind may hold among rows (1 = smallest): rows clearly below it come first, rows it is tied with may swap. */
export function rankRange(rows: readonly { k: Kind; m: MetricResult }[], kind: Kind): [number, number] {
  const me = rows.find((r) => r.k === kind)!;
  const others = rows.filter((r) => r !== me);
  const below = others.filter((r) => clearlyBelow(r.m, me.m)).length;
  const above = others.filter((r) => clearlyBelow(me.m, r.m)).length;
  return [below + 1, rows.length - above];
}

/**
 * Rank of the claim's kind among the kinds (1 = smallest) on each measure, one quantity each: confirmed when every
 * judged measure gives the claimed rank with no tie, refuted when one rules the claimed rank out, else inconclusive (a
 * tie: values within noise of each other, or single values within 2×). A measure an emulator (TCG) slows or inflates
 * is shown, marked '*': its rows no emulator shaped still rank against each other (a tie among them is a tie, a row
 * clearly below the claimed rank refutes it), the shaped rows count for nothing. The workload's own figure (the same
 * program everywhere) is shown, marked '°', and not judged.
 */
function judgeRank(claim: Extract<Measurable, { check: 'rank' }>, envs: Partial<Record<Kind, EnvResult>>): Judged {
  const outcomes = claim.by.map((measure) => {
    const rows = (Object.entries(measure) as [Kind, MetricId][]).map(([k, id]) => ({ k, id, m: envs[k]!.metrics[id]! }));
    const shaped = (r: (typeof rows)[number]) => isEmulationDependent(r.id, envs[r.k]!);
    const emulated = rows.some(shaped);
    rows.sort((x, y) => x.m.value - y.m.value);
    const range = rankRange(rows, claim.kind);
    // The rows no emulator shaped still rank against each other: they can rule the claimed rank out or tie with it.
    const clean = rows.filter((r) => !shaped(r));
    const partial = emulated && clean.some((r) => r.k === claim.kind) ? rankRange(clean, claim.kind) : undefined;
    const text = rows.map((r, i) => `${i ? (clearlyBelow(rows[i - 1]!.m, r.m) ? ' < ' : ' ≈ ') : ''}${r.k} ${formatValue(r.m.value, r.m.unit)}`).join('');
    const quantity = measureQuantity(measure);
    return { range, text, quantity: quantity ?? '?', emulated, partial, workload: quantity !== undefined && WORKLOAD_QUANTITIES.includes(quantity) };
  });
  const order = outcomes.map((o) => o.text).join('; ');
  const mark = (o: (typeof outcomes)[number]) => (o.emulated ? '*' : o.workload ? '°' : '');
  const why = outcomes
    .map((o) => `${o.quantity}: ${o.text}${o.emulated ? ' (*: under emulation, not judged)' : o.workload ? " (°: the workload's own, shown, not judged)" : ''}`)
    .join('; ');
  const ranks = outcomes.map((o) => `${o.range[0] === o.range[1] ? `${o.range[0]}` : `${o.range[0]}–${o.range[1]}`}${mark(o)}`).join('/');
  const n = Object.keys(claim.by[0]!).length;
  const measured = { value: `rank ${ranks} of ${n}` };
  const note = { code: 'rank', args: { ranks, n, order, quantities: outcomes.map((o) => o.quantity).join('/') } };
  const judged = outcomes.filter((o) => !o.emulated && !o.workload);
  if (!judged.length) {
    const e = Object.values(envs).find((x) => x && emulationOf(x));
    if (!e) return { measured, verdict: 'info', why: `only the workload's own figures: ${why}`, note: { ...note, code: 'rank-workload' } };
    return { measured, verdict: 'info', why: `every measure was taken under ${emulationOf(e)}, software emulation: ${why}`, note: { code: 'rank-emulated', args: { ranks, n, env: e.name, accel: emulationOf(e)! } } };
  }
  const partials = outcomes.filter((o) => !o.workload && o.partial).map((o) => o.partial!);
  if (judged.some(({ range: [lo, hi] }) => claim.rank < lo || claim.rank > hi) || partials.some(([lo]) => lo > claim.rank)) return { measured, verdict: 'refuted', why, note };
  if (judged.every(({ range: [lo, hi] }) => lo === claim.rank && hi === claim.rank) && partials.every(([lo, hi]) => lo === hi)) return { measured, verdict: 'confirmed', why, note };
  return { measured, verdict: 'inconclusive', why: `${why} (≈: a tie)`, note: { ...note, code: 'rank-tie' } };
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
  return { measured, verdict: 'inconclusive', why, note: { code: 'ratio-spans', args: { lo, hi, above: claim.above } } };
}

/** Exact match, or the document names a version prefix ("3.9" matches "3.9.18"). */
export function versionMatches(measured: string, documented: string): boolean {
  const m = measured.trim();
  return m === documented || m.startsWith(`${documented}.`);
}
