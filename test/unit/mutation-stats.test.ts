// Definitions of the sample statistics, pinned where the mutation run (npm run mutate) found gaps.
import { describe, expect, it } from 'vitest';
import { binomialHalfCdf, median, medianCi95, medianCiRank, outlierIndices, summarize } from '../../src/measure/stats.js';

describe('median and interval of no samples', () => {
  it('refuse an empty list instead of answering NaN or no interval', () => {
    expect(() => median([])).toThrow(/no samples/);
    expect(() => medianCi95([])).toThrow(/no samples/);
  });

  it('summarize says that it was summarize that got no samples', () => {
    expect(() => summarize([])).toThrow(/^summarize: no samples$/);
  });
});

describe('binomialHalfCdf', () => {
  it('is exactly 1 at and past the last value n, for every n (no rounding short of 1)', () => {
    for (let n = 1; n <= 200; n++) {
      expect(binomialHalfCdf(n, n)).toBe(1);
      expect(binomialHalfCdf(n, n + 1)).toBe(1);
    }
  });
});

describe('medianCiRank', () => {
  it('takes a rank whose coverage equals the level exactly: "at least" includes the level', () => {
    // n = 10, r = 2: 1 - 2·P(X <= 1) = 1 - 2·11/1024 = 1002/1024, exact in binary.
    expect(medianCiRank(10, 1002 / 1024)).toEqual({ rank: 2, coverage: 1002 / 1024 });
    expect(medianCiRank(10, 1002 / 1024 + 1e-9)).toEqual({ rank: 1, coverage: 1 - 2 / 1024 });
  });

  it('at level 0 narrows to the middle order statistics, the median itself', () => {
    // Odd n: [x(3), x(3)] of 5, coverage 1 - 2·P(X <= 2) = 0. Even n: [x(3), x(4)] of 6, 1 - 2·22/64.
    expect(medianCiRank(5, 0)).toEqual({ rank: 3, coverage: 0 });
    expect(medianCiRank(6, 0)).toEqual({ rank: 3, coverage: 1 - 44 / 64 });
    expect(medianCiRank(7, 0)?.rank).toBe(4);
  });

  it('never goes past the middle, where [x(r), x(n-r+1)] would no longer be an interval', () => {
    for (const n of [1, 2, 5, 6, 11]) {
      const r = medianCiRank(n, -1)!;
      expect(r.rank).toBeLessThanOrEqual(n - r.rank + 1);
    }
  });
});

describe('outlierIndices', () => {
  // Median 11; absolute deviations 1 0 1 1 0 d: MAD 1, so 3 scaled MADs are 3 · 1.4826 ≈ 4.45.
  it('flags a sample farther than 3 · 1.4826 MADs from the median, not one 3 MADs away', () => {
    expect(outlierIndices([10, 11, 10, 12, 11, 14])).toEqual([]);
    expect(outlierIndices([10, 11, 10, 12, 11, 15])).toEqual([]);
    expect(outlierIndices([10, 11, 10, 12, 11, 16])).toEqual([5]);
    expect(outlierIndices([12, 11, 12, 10, 11, 6])).toEqual([5]); // as far below
  });

  it('flags the same samples whatever the unit: the threshold grows with the spread', () => {
    for (const xs of [[10, 11, 10, 12, 11, 14], [10, 11, 10, 12, 11, 16], [12, 11, 12, 10, 11, 6]]) {
      for (const k of [2, 1000, 0.001]) expect(outlierIndices(xs.map((x) => x * k))).toEqual(outlierIndices(xs));
    }
    // MAD 2: 3 scaled MADs are about 8.9, so 6 away is kept and 10 away is flagged.
    expect(outlierIndices([20, 22, 20, 24, 22, 28])).toEqual([]);
    expect(outlierIndices([20, 22, 20, 24, 22, 32])).toEqual([5]);
  });

  it('keeps a sample exactly at 3 scaled MADs unflagged: only farther ones are outliers', () => {
    const edge = 3 * 1.4826; // median 0, MAD 1
    expect(outlierIndices([-1, -1, 0, 0, 1, 1, edge])).toEqual([]);
  });

  it('flags nothing when more than half the samples are equal (MAD 0), however far the rest', () => {
    expect(outlierIndices([5, 5, 5, 5, 9])).toEqual([]);
    expect(outlierIndices([5, 5, 5, 1000])).toEqual([]);
  });
});

describe('summarize', () => {
  it('gives the arithmetic mean of the samples', () => {
    expect(summarize([1, 2, 3, 10]).mean).toBe(4);
    expect(summarize([7]).mean).toBe(7);
    expect(summarize([-2, 2, 6]).mean).toBe(2);
  });
});
