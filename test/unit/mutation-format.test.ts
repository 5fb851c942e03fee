// How the reports print numbers, ranges and intervals, pinned where the mutation run (npm run mutate) found gaps.
import { describe, expect, it } from 'vitest';
import { formatFactor, formatMetric, formatRange, formatValue, scaleFor, sig3 } from '../../src/report/format.js';
import { summarize } from '../../src/measure/stats.js';
import type { MetricResult } from '../../src/results/schema.js';

const labels = { label: '95% CI', coverage: (p: string) => `coverage ${p}%`, none: (n: number) => `n=${n}, no interval` };

describe('sig3', () => {
  it('prints 1000 and more as whole numbers, from exactly 1000 on', () => {
    expect(sig3(1000)).toBe('1000');
    expect(sig3(-1000)).toBe('-1000');
    expect(sig3(999.4)).toBe('999');
  });
});

describe('units', () => {
  it('prints bytes in kB from 1000 bytes and in TB from 10^12 bytes (decimal units)', () => {
    expect(formatValue(1000, 'bytes')).toBe('1.00 kB');
    expect(formatValue(1500, 'bytes')).toBe('1.50 kB');
    expect(formatValue(999, 'bytes')).toBe('999 B');
    expect(formatValue(1e12, 'bytes')).toBe('1.00 TB');
    expect(formatValue(2.5e12, 'bytes')).toBe('2.50 TB');
  });

  it('prints exactly one minute of milliseconds as 1.00 min', () => {
    expect(formatValue(60_000, 'ms')).toBe('1.00 min');
    expect(formatValue(59_900, 'ms')).toBe('59.9 s');
  });

  it('gives counts no unit and no scale, however large', () => {
    expect(scaleFor(1234, 'count')).toEqual({ div: 1, suffix: '' });
    expect(scaleFor(90_000, 'count')).toEqual({ div: 1, suffix: '' });
    expect(scaleFor(5e9, 'count')).toEqual({ div: 1, suffix: '' });
  });
});

describe('formatRange', () => {
  it('prints a range in the scale of its upper end, both ends in that scale', () => {
    expect(formatRange(30_100, 33_000, 'ms')).toBe('30.1–33.0 s');
    expect(formatRange(900, 1200, 'ms')).toBe('0.900–1.20 s');
    expect(formatRange(512, 2_000_000, 'bytes')).toBe('0.000512–2.00 MB');
    expect(formatRange(30.1, 33, 'ms')).toBe('30.1–33.0 ms');
  });

  it('prints a range of counts as whole numbers with no unit', () => {
    expect(formatRange(3.4, 7.6, 'count')).toBe('3–8');
    expect(formatRange(1000, 2500, 'count')).toBe('1000–2500');
  });
});

describe('formatFactor', () => {
  it('prints factors from 10 on as whole numbers, below 10 with three significant digits', () => {
    expect(formatFactor(10)).toBe('10');
    expect(formatFactor(9.994)).toBe('9.99');
  });
});

describe('formatMetric', () => {
  const sampled = (unit: MetricResult['unit'], xs: number[]): MetricResult => {
    const stats = summarize(xs);
    return { unit, value: stats.median, method: 't', samples: xs, stats };
  };

  it('prints the interval of a value shown in seconds in seconds too', () => {
    // Sorted: 1000 1100 1150 1200 1200 1200 1200 1300 1400 1500; median 1200; n = 10 takes [x(2), x(9)].
    const m = sampled('ms', [1200, 1500, 1100, 1200, 1300, 1000, 1200, 1400, 1150, 1200]);
    expect(formatMetric(m, labels)).toBe('1.20 s (95% CI 1.10–1.40, coverage 97.8%, n=10)');
  });

  it('prints the interval of a size shown in MB in MB too', () => {
    const mb = [40, 41, 42, 43, 44, 45, 46, 47, 48, 49].map((x) => x * 1e6);
    expect(formatMetric(sampled('bytes', mb), labels)).toBe('44.5 MB (95% CI 41.0–48.0, coverage 97.8%, n=10)');
  });

  it('prints a sampled count and its interval as whole numbers', () => {
    // Sorted: 10 11 12 12 13 13 14 14 15 16; median 13; [x(2), x(9)] = [11, 15].
    const m = sampled('count', [12, 10, 15, 11, 14, 13, 16, 12, 13, 14]);
    expect(formatMetric(m, labels)).toBe('13 (95% CI 11–15, coverage 97.8%, n=10)');
  });

  it('says there is no interval when the stats lack either the interval or its coverage', () => {
    const { stats, ...rest } = sampled('ms', [30, 31, 32, 33, 34, 35, 36, 37, 38, 39]);
    expect(formatMetric({ ...rest, stats: { ...stats!, ci95: null } }, labels)).toBe('34.5 ms (n=10, no interval)');
    expect(formatMetric({ ...rest, stats: { ...stats!, ciCoverage: null } }, labels)).toBe('34.5 ms (n=10, no interval)');
  });
});
