import { describe, expect, it } from 'vitest';
import { mad, median, medianCi95, outlierIndices, summarize } from '../../src/measure/stats.js';

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

  it('gives the full range as the CI below 6 samples and order statistics above', () => {
    expect(medianCi95([3, 1, 2])).toEqual([1, 3]);
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    const [lo, hi] = medianCi95(xs);
    expect(lo).toBe(41);
    expect(hi).toBe(60);
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
