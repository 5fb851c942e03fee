// Pure statistics for samples: median, min, max, MAD, a 95% confidence interval and outlier flags.

export interface Stats {
  n: number;
  median: number;
  mean: number;
  min: number;
  max: number;
  /** Median absolute deviation (unscaled). */
  mad: number;
  /**
   * Exact distribution-free confidence interval of the median (binomial order statistics) whose coverage is at
   * least 95%; null when n is too small for any such interval (n < 6).
   */
  ci95: [number, number] | null;
  /** The interval's real coverage (e.g. 0.979 for n = 10); null with no interval. */
  ciCoverage: number | null;
  /** Indices of samples farther than 3 scaled MADs from the median: flagged, never dropped. */
  outliers: number[];
}

/** Median of a list (average of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of no samples');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median absolute deviation from the median. */
export function mad(xs: readonly number[]): number {
  const m = median(xs);
  return median(xs.map((x) => Math.abs(x - m)));
}

/** P(X <= k) for X ~ Binomial(n, 1/2), exact for the sample sizes a benchmark takes. */
export function binomialHalfCdf(n: number, k: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  let term = Math.pow(0.5, n);
  let sum = term;
  for (let i = 1; i <= k; i++) {
    term = (term * (n - i + 1)) / i;
    sum += term;
  }
  return Math.min(1, sum);
}

/**
 * The rank r of the exact interval [x(r), x(n-r+1)] of the median (1-based order statistics) with coverage
 * 1 - 2·P(Bin(n, 1/2) <= r-1) of at least `level`, the narrowest such; undefined when even [min, max] falls short.
 */
export function medianCiRank(n: number, level = 0.95): { rank: number; coverage: number } | undefined {
  let best: { rank: number; coverage: number } | undefined;
  for (let r = 1; r <= Math.floor((n + 1) / 2); r++) {
    const coverage = 1 - 2 * binomialHalfCdf(n, r - 1);
    if (coverage < level) break;
    best = { rank: r, coverage };
  }
  return best;
}

/** The exact 95% interval of the median and its real coverage; null for both when n is too small (n < 6). */
export function medianCi95(xs: readonly number[]): { ci: [number, number] | null; coverage: number | null } {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) throw new Error('confidence interval of no samples');
  const r = medianCiRank(n);
  if (!r) return { ci: null, coverage: null };
  return { ci: [s[r.rank - 1]!, s[n - r.rank]!], coverage: r.coverage };
}

/** Indices of outliers: |x - median| > 3 · 1.4826 · MAD (none when MAD is 0). */
export function outlierIndices(xs: readonly number[]): number[] {
  const m = median(xs);
  const scaled = 1.4826 * mad(xs);
  if (scaled === 0) return [];
  return xs.flatMap((x, i) => (Math.abs(x - m) > 3 * scaled ? [i] : []));
}

function ciOf(xs: readonly number[]): Pick<Stats, 'ci95' | 'ciCoverage'> {
  const { ci, coverage } = medianCi95(xs);
  return { ci95: ci, ciCoverage: coverage };
}

/** All statistics of a non-empty sample list. */
export function summarize(xs: readonly number[]): Stats {
  if (xs.length === 0) throw new Error('summarize: no samples');
  return {
    n: xs.length,
    median: median(xs),
    mean: xs.reduce((a, b) => a + b, 0) / xs.length,
    min: Math.min(...xs),
    max: Math.max(...xs),
    mad: mad(xs),
    ...ciOf(xs),
    outliers: outlierIndices(xs),
  };
}
