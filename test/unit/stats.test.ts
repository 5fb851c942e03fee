import { describe, expect, it } from 'vitest';
import { binomialHalfCdf, mad, median, medianCi95, medianCiRank, outlierIndices, summarize } from '../../src/measure/stats.js';

describe('statistics', () => {
  it('takes the median of odd and even counts without reordering the input', () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('computes the median absolute deviation', () => {
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1);
    expect(mad([7, 7, 7])).toBe(0);
  });

  it('sums the Binomial(n, 1/2) distribution exactly', () => {
    expect(binomialHalfCdf(5, 0)).toBeCloseTo(1 / 32, 12);
    expect(binomialHalfCdf(10, 1)).toBeCloseTo(11 / 1024, 12);
    expect(binomialHalfCdf(4, 4)).toBe(1);
    expect(binomialHalfCdf(4, -1)).toBe(0);
  });

  // Ranks and coverages of the exact distribution-free 95% interval of the median, as tabulated for the sign
  // test (e.g. Conover, Practical Nonparametric Statistics, table A3; Nair 1940): [x(r), x(n-r+1)].
  const PUBLISHED: [n: number, r: number, coverage: number][] = [
    [6, 1, 0.9688], [7, 1, 0.9844], [8, 1, 0.9922], [9, 2, 0.9609], [10, 2, 0.9785], [11, 2, 0.9883],
    [12, 3, 0.9614], [13, 3, 0.9775], [15, 4, 0.9648], [16, 4, 0.9787], [17, 5, 0.951], [20, 6, 0.9586],
    [25, 8, 0.9567], [30, 10, 0.9572], [40, 14, 0.9615], [50, 18, 0.9672], [100, 40, 0.9648],
  ];
  it.each(PUBLISHED)('n=%i: rank %i, coverage %f (published tables)', (n, r, coverage) => {
    const got = medianCiRank(n)!;
    expect(got.rank).toBe(r);
    expect(got.coverage).toBeCloseTo(coverage, 4);
    expect(got.coverage).toBeGreaterThanOrEqual(0.95);
  });

  it('gives no interval where even [min, max] covers less than 95% (n <= 5), and says its coverage otherwise', () => {
    for (const n of [1, 2, 3, 4, 5]) expect(medianCiRank(n)).toBeUndefined();
    expect(medianCi95([3, 1, 2, 5, 4])).toEqual({ ci: null, coverage: null });
    const xs = Array.from({ length: 10 }, (_, i) => 10 - i);
    expect(medianCi95(xs)).toEqual({ ci: [2, 9], coverage: expect.closeTo(0.9785, 4) });
    const s = summarize([5, 4, 3, 2, 1]);
    expect(s.ci95).toBeNull();
    expect(s.ciCoverage).toBeNull();
  });

  it('flags outliers by index and keeps every sample', () => {
    const xs = [10, 11, 10, 12, 11, 95];
    expect(outlierIndices(xs)).toEqual([5]);
    const s = summarize(xs);
    expect(s.n).toBe(6);
    expect(s.max).toBe(95);
    expect(s.outliers).toEqual([5]);
    expect(outlierIndices([2, 2, 2])).toEqual([]);
  });

  it('refuses an empty sample list', () => {
    expect(() => summarize([])).toThrow(/no samples/);
  });
});
