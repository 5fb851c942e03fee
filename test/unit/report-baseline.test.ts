import { describe, expect, it } from 'vitest';
import { compareBaseline, formatDelta, parseThreshold } from '../../src/report/baseline.js';
import type { EnvResult, MetricResult, RunResults } from '../../src/results/schema.js';

const metric = (value: number, ci?: [number, number], unit: MetricResult['unit'] = 'ms'): MetricResult => ({
  unit,
  value,
  method: 'test',
  ...(ci ? { stats: { n: 10, median: value, mean: value, min: ci[0], max: ci[1], mad: 1, ci95: ci, ciCoverage: 0.9785, outliers: [] } } : {}),
});
const run = (metrics: Record<string, MetricResult>, status: EnvResult['status'] = 'completed'): RunResults =>
  ({ environments: [{ kind: 'docker', name: 'docker-requests', label: 'x', status, steps: [], metrics, probes: [], notes: [], facts: {} }] }) as unknown as RunResults;
const statusOf = (old: MetricResult, now: MetricResult, threshold = 0.1) =>
  compareBaseline(run({ m: old }), run({ m: now }), threshold)[0]?.status;

describe('compareBaseline', () => {
  it('flags a regression only when the new CI lies above the old one by more than the threshold of the old median', () => {
    const old = metric(100, [95, 105]);
    expect(statusOf(old, metric(130, [116, 140]))).toBe('regressed'); // 116 > 105 + 10
    expect(statusOf(old, metric(130, [114, 140]))).toBe('unchanged'); // 114 <= 115: the CIs are too close
    expect(statusOf(old, metric(300, [100, 500]))).toBe('unchanged'); // a higher median with overlapping CIs is not a regression
    expect(statusOf(old, metric(70, [60, 84]))).toBe('improved'); // 84 < 95 - 10
  });

  it('does not judge a metric without an interval on either side: one noisy value is no regression', () => {
    expect(statusOf(metric(100), metric(1000))).toBe('not-judged');
    expect(statusOf(metric(100, [95, 105]), metric(1000))).toBe('not-judged');
    const tooFew: MetricResult = { ...metric(1000), stats: { n: 5, median: 1000, mean: 1000, min: 990, max: 1010, mad: 1, ci95: null, ciCoverage: null, outliers: [] } };
    expect(statusOf(metric(100, [95, 105]), tooFew)).toBe('not-judged');
  });

  it('treats bytes as lower-is-better and ignores counts', () => {
    expect(statusOf(metric(1e8, [0.99e8, 1.01e8], 'bytes'), metric(2e8, [1.9e8, 2.1e8], 'bytes'))).toBe('regressed');
    expect(compareBaseline(run({ m: metric(3, undefined, 'count') }), run({ m: metric(9, undefined, 'count') }), 0.1)).toEqual([]);
  });

  it('compares only environments completed in both runs, by name', () => {
    expect(compareBaseline(run({ m: metric(1) }, 'errored'), run({ m: metric(5) }), 0.1)).toEqual([]);
    expect(compareBaseline(run({ other: metric(1) }), run({ m: metric(5) }), 0.1)).toEqual([]);
  });

  it('reports the relative change and prints one line', () => {
    const [d] = compareBaseline(run({ 'run.cli.ms': metric(600, [590, 610]) }), run({ 'run.cli.ms': metric(1200, [1150, 1300]) }), 0.1);
    expect(d!.change).toBeCloseTo(1);
    expect(formatDelta(d!)).toBe('docker-requests run.cli.ms: 600 ms (CI 590–610 ms) -> 1.20 s (CI 1.15–1.30 s), +100%');
  });
});

describe('parseThreshold', () => {
  it('reads percentages', () => {
    expect(['10%', '10', '2.5%', ' 0% ', 'ten', '-5%', ''].map(parseThreshold)).toEqual([0.1, 0.1, 0.025, 0, undefined, undefined, undefined]);
  });
});
