import { describe, expect, it } from 'vitest';
import { medianInterval, ratioOfMedians } from '../../bench/ratio.js';
import { expectedRatio, fidelityMet } from '../../bench/fidelity.js';

const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);

describe('medianInterval', () => {
  it('gives the exact binomial coverage for 9 samples: 2nd to 8th at 95%, [min, max] above 96.1%', () => {
    expect(medianInterval(range(9), 0.95)).toEqual({ lo: 2, hi: 8, coverage: 1 - 20 / 512 });
    expect(medianInterval(range(9), 0.975)).toEqual({ lo: 1, hi: 9, coverage: 1 - 2 / 512 });
  });

  it('narrows to the inner order statistics while the coverage stays at or above the level', () => {
    // n = 30: ranks 10 and 21 (1-based) cover 95.7%; ranks 11 and 20 would cover only 90.1%.
    const r = medianInterval(range(30).reverse(), 0.95)!;
    expect([r.lo, r.hi]).toEqual([10, 21]);
    expect(r.coverage).toBeCloseTo(0.9572, 4);
  });

  it('gives none when even [min, max] does not reach the level', () => {
    expect(medianInterval(range(5), 0.975)).toBeUndefined();
    expect(medianInterval([], 0.5)).toBeUndefined();
  });
});

describe('ratioOfMedians', () => {
  it('divides the medians and bounds the ratio by both intervals', () => {
    const a = range(9, 101);
    const b = range(9, 96);
    const r = ratioOfMedians(a, b);
    expect(r.ratio).toBeCloseTo(105 / 100, 12);
    expect(r.interval).toEqual([101 / 104, 109 / 96]);
    expect(r.coverage).toBeCloseTo((1 - 2 / 512) ** 2, 12);
    expect(r.interval![0]).toBeLessThan(r.ratio);
    expect(r.interval![1]).toBeGreaterThan(r.ratio);
  });

  it('states the ratio without an interval when the samples are too few', () => {
    expect(ratioOfMedians([1, 2, 3], [1, 2, 3])).toEqual({ ratio: 1 });
  });
});

describe('fidelity judgement', () => {
  it('expects (hyperfine + added) / hyperfine', () => {
    expect(expectedRatio(500, 0.5)).toBeCloseTo(1.001, 12);
    expect(expectedRatio(300, 9)).toBeCloseTo(1.03, 12);
  });

  it('is met only when the expected ratio is within 2% and inside the side-by-side interval', () => {
    const side = (lo: number, hi: number) => ({ ratio: (lo + hi) / 2, interval: [lo, hi] as [number, number], coverage: 0.99 });
    expect(fidelityMet(1.001, side(0.8, 1.2))).toBe(true);
    expect(fidelityMet(1.03, side(0.8, 1.2))).toBe(false); // the fixed cost alone is 3%
    expect(fidelityMet(1.001, side(1.05, 1.2))).toBe(false); // something beyond the fixed cost differs
    expect(fidelityMet(1.001, { ratio: 1 })).toBeNull(); // too few samples to check consistency
  });
});
