// Turns (claim, measurements) into a verdict: pure, no I/O.
import type { ClaimVerdict, EnvResult, MetricResult } from '../results/schema.js';
import type { Claim } from './schema.js';

type Judged = Omit<ClaimVerdict, 'claimId' | 'kind'>;
type Measurable = Exclude<Claim, { check: 'unmeasurable' }>;

/** Factor within which a number outside the document's range counts as "within 2×". */
const WITHIN_FACTOR = 2;

/** A verdict for every claim, from the first completed environment of its kind that measured it. */
export function judgeClaims(claims: readonly Claim[], environments: readonly EnvResult[]): ClaimVerdict[] {
  return claims.map((claim) => ({ claimId: claim.id, kind: claim.kind, ...judge(claim, environments) }));
}

function judge(claim: Claim, environments: readonly EnvResult[]): Judged {
  if (claim.check === 'unmeasurable') return { verdict: 'not-measured', why: claim.why.en };
  const ofKind = environments.filter((e) => e.kind === claim.kind);
  const env = ofKind.find((e) => e.status === 'completed' && has(claim, e));
  if (env) return { env: env.name, ...judgeIn(claim, env) };
  const completed = ofKind.find((e) => e.status === 'completed');
  if (completed) return { env: completed.name, verdict: 'not-measured', why: `${completed.name} did not measure ${needs(claim)}` };
  const other = ofKind[0];
  if (other) {
    const why = `${other.name} ${other.status}${other.reason ? `: ${other.reason}` : ''}`;
    return { env: other.name, verdict: 'not-measured', why };
  }
  return { verdict: 'not-measured', why: `no ${claim.kind} environment in this run` };
}

/** Whether an environment holds what the claim needs. */
function has(claim: Measurable, env: EnvResult): boolean {
  switch (claim.check) {
    case 'range':
    case 'point':
      return claim.metric in env.metrics;
    case 'less-than':
      return claim.metric in env.metrics && claim.than in env.metrics;
    case 'isolation':
      return env.probes.some((p) => p.id === claim.probe);
    case 'equals':
      return claim.fact in env.facts;
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
      return claim.fact;
  }
}

function judgeIn(claim: Measurable, env: EnvResult): Judged {
  switch (claim.check) {
    case 'range': {
      const m = env.metrics[claim.metric]!;
      return { measured: measuredOf(m), ...judgeNumber(m.value, claim.range[0], claim.range[1]) };
    }
    case 'point': {
      const m = env.metrics[claim.metric]!;
      return { measured: measuredOf(m), ...judgePoint(m.value, claim.value, claim.tolerance) };
    }
    case 'less-than': {
      const a = env.metrics[claim.metric]!;
      const b = env.metrics[claim.than]!;
      const holds = a.value < b.value;
      const why = `${claim.metric} ${a.value} ${holds ? '<' : '>='} ${claim.than} ${b.value}`;
      return { measured: measuredOf(a), verdict: holds ? 'confirmed' : 'refuted', why };
    }
    case 'isolation': {
      const p = env.probes.find((q) => q.id === claim.probe)!;
      if (p.isolated === null) return { verdict: 'not-measured', why: p.error ?? p.summary };
      return { measured: { value: p.isolated }, verdict: p.isolated === claim.isolated ? 'confirmed' : 'refuted', why: p.summary };
    }
    case 'equals': {
      const v = env.facts[claim.fact]!;
      return { measured: { value: v }, verdict: versionMatches(v, claim.value) ? 'confirmed' : 'refuted' };
    }
  }
}

function measuredOf(m: MetricResult): NonNullable<ClaimVerdict['measured']> {
  return { value: m.value, unit: m.unit };
}

/** Verdict of a number against [lo, hi]: confirmed inside, else by the factor it lies outside. */
export function judgeNumber(measured: number, lo: number, hi: number): Pick<ClaimVerdict, 'verdict' | 'factor'> {
  if (measured >= lo && measured <= hi) return { verdict: 'confirmed' };
  const factor = measured > hi ? measured / hi : measured > 0 ? lo / measured : undefined;
  return byFactor(factor);
}

/** Verdict of a number against the document's value ± tolerance; the factor is measured/value (≥ 1 either way). */
export function judgePoint(measured: number, value: number, tolerance: number): Pick<ClaimVerdict, 'verdict' | 'factor'> {
  if (Math.abs(measured - value) <= tolerance * value) return { verdict: 'confirmed' };
  return byFactor(measured > 0 ? Math.max(measured / value, value / measured) : undefined);
}

function byFactor(factor: number | undefined): Pick<ClaimVerdict, 'verdict' | 'factor'> {
  if (factor === undefined || !Number.isFinite(factor)) return { verdict: 'off' };
  return { verdict: factor <= WITHIN_FACTOR ? 'within-2x' : 'off', factor };
}

/** Exact match, or the document names a version prefix ("3.9" matches "3.9.18"). */
export function versionMatches(measured: string, documented: string): boolean {
  const m = measured.trim();
  return m === documented || m.startsWith(`${documented}.`);
}
