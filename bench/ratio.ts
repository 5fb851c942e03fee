// The ratio of two medians with a distribution-free interval built from each median's order-statistic interval.
import { median } from '../src/measure/stats.js';

/** P(X <= k) for X ~ Binomial(n, 1/2). */
function binomialHalfCdf(n: number, k: number): number {
  let term = 2 ** -n;
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += term;
    term = (term * (n - i)) / (i + 1);
  }
  return sum;
}

/**
 * The narrowest symmetric order-statistic interval [x(k), x(n-1-k)] (0-based ranks) that covers the
 * median with at least `level`, and its exact coverage 1 - 2·P(Bin(n, ½) <= k); undefined when even
 * [min, max] does not reach `level`.
 */
export function medianInterval(xs: readonly number[], level: number): { lo: number; hi: number; coverage: number } | undefined {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  const coverage = (k: number) => 1 - 2 * binomialHalfCdf(n, k);
  if (n === 0 || coverage(0) < level) return undefined;
  let k = 0;
  while (k + 1 < n - 1 - (k + 1) && coverage(k + 1) >= level) k++;
  return { lo: s[k]!, hi: s[n - 1 - k]!, coverage: coverage(k) };
}

export interface RatioOfMedians {
  ratio: number;
  /** [lo, hi] containing median(a)/median(b) with at least `coverage`; undefined when the samples are too few. */
  interval?: [number, number];
  /** The interval's real coverage: the product of the two medians' exact coverages (independent samples). */
  coverage?: number;
}

/**
 * median(a) / median(b), with an interval of at least `level` coverage: each median's order-statistic
 * interval at √level, combined as [lo(a)/hi(b), hi(a)/lo(b)] (if both cover, the ratio lies within).
 */
export function ratioOfMedians(a: readonly number[], b: readonly number[], level = 0.95): RatioOfMedians {
  const ratio = median(a) / median(b);
  const ia = medianInterval(a, Math.sqrt(level));
  const ib = medianInterval(b, Math.sqrt(level));
  if (!ia || !ib || ib.lo <= 0) return { ratio };
  return { ratio, interval: [ia.lo / ib.hi, ia.hi / ib.lo], coverage: ia.coverage * ib.coverage };
}
