import { describe, expect, it } from 'vitest';
import { cell, formatFactor, formatMetric, formatValue, sig3, table } from '../../src/report/format.js';
import { summarize } from '../../src/measure/stats.js';

describe('report formatting', () => {
  it('keeps three significant digits', () => {
    expect([sig3(31.234), sig3(33), sig3(0.41234), sig3(1234.6), sig3(0)]).toEqual(['31.2', '33.0', '0.412', '1235', '0']);
  });

  it('never prints a value that rounds to 1000 in exponent notation', () => {
    // 999.6 at three significant digits is 1000, which sig3 prints as a whole number ("1.00e+3" before).
    expect([sig3(999.6), sig3(-999.7), sig3(999.4)]).toEqual(['1000', '-1000', '999']);
    expect(formatValue(999.7, 'ms')).toBe('1000 ms');
    expect(formatValue(999_800, 'bytes')).toBe('1000 kB');
  });

  it('scales bytes decimally and milliseconds up to minutes', () => {
    expect(formatValue(47_185_920, 'bytes')).toBe('47.2 MB');
    expect(formatValue(8e9, 'bytes')).toBe('8.00 GB');
    expect(formatValue(512, 'bytes')).toBe('512 B');
    expect(formatValue(10, 'ms')).toBe('10.0 ms');
    expect(formatValue(1234, 'ms')).toBe('1.23 s');
    expect(formatValue(125_000, 'ms')).toBe('2.08 min');
    expect(formatValue(1874, 'count')).toBe('1874');
  });

  it('shows a sampled metric with its CI and n', () => {
    const labels = { label: '95% CI', coverage: (p: string) => `coverage ${p}%`, none: (n: number) => `n=${n}, no interval` };
    const xs = [31.2, 30.1, 33.0, 31.5, 30.9, 31.0, 32.0, 31.4, 30.5, 31.3];
    const m = { unit: 'ms' as const, value: summarize(xs).median, method: 't', samples: xs, stats: summarize(xs) };
    expect(formatMetric(m, labels)).toBe('31.3 ms (95% CI 30.5–32.0, coverage 97.8%, n=10)');
    const few = xs.slice(0, 5);
    expect(formatMetric({ unit: 'ms', value: 31.2, method: 't', samples: few, stats: summarize(few) }, labels)).toBe('31.2 ms (n=5, no interval)');
    expect(formatMetric({ unit: 'ms', value: 4210, method: 't' }, labels)).toBe('4.21 s');
  });

  it('formats factors', () => {
    expect([formatFactor(1.5), formatFactor(3.333), formatFactor(12.4)]).toEqual(['1.50', '3.33', '12']);
  });

  it('escapes table cells', () => {
    expect(cell('a | b\nc')).toBe('a \\| b<br>c');
    expect(table(['x', 'y'], [['1|2', '3']])).toBe('| x | y |\n|---|---|\n| 1\\|2 | 3 |');
  });
});
