// Pure statistics for samples: median, min, max, MAD, a 95% confidence interval and outlier flags.

export interface Stats {
  n: number;
  median: number;
  mean: number;
  min: number;
  max: number;
  /** Median absolute deviation (unscaled). */
  mad: number;
  /** 95% confidence interval of the median (distribution-free, order statistics); [min, max] for n < 6. */
  ci95: [number, number];
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

/**
 * Distribution-free 95% CI of the median from order statistics: ranks n/2 ± 1.96·√n/2.
 * With fewer than 6 samples no such interval reaches 95%, so the full range is given.
 */
export function medianCi95(xs: readonly number[]): [number, number] {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) throw new Error('confidence interval of no samples');
  if (n < 6) return [s[0]!, s[n - 1]!];
  const half = (1.96 * Math.sqrt(n)) / 2;
  const lo = Math.max(0, Math.floor(n / 2 - half));
  const hi = Math.min(n - 1, Math.ceil(n / 2 + half) - 1);
  return [s[lo]!, s[hi]!];
}

/** Indices of outliers: |x - median| > 3 · 1.4826 · MAD (none when MAD is 0). */
export function outlierIndices(xs: readonly number[]): number[] {
  const m = median(xs);
  const scaled = 1.4826 * mad(xs);
  if (scaled === 0) return [];
  return xs.flatMap((x, i) => (Math.abs(x - m) > 3 * scaled ? [i] : []));
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
    ci95: medianCi95(xs),
    outliers: outlierIndices(xs),
  };
}
