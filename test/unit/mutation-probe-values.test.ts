// What insideValue/hostValues read from a probe's evidence, pinned where the mutation run (npm run mutate) found gaps.
import { describe, expect, it } from 'vitest';
import { hostValues, insideValue } from '../../src/claims/probe-values.js';
import type { ProbeResult } from '../../src/results/schema.js';

const probe = (evidence: Record<string, unknown>) => ({ evidence }) as unknown as ProbeResult;

describe('insideValue', () => {
  it('takes a Python version\'s first word, after trimming, split on any whitespace', () => {
    expect(insideValue('python-version', probe({ inside: '  3.11.7\t(/usr/bin/python3.11)\n' }))).toBe('3.11.7');
  });
  it('keeps other values whole but trimmed', () => {
    expect(insideValue('kernel', probe({ inside: ' 6.1.0-18 #1 SMP \n' }))).toBe('6.1.0-18 #1 SMP');
  });
  it('has no value for blank, missing or non-text evidence', () => {
    expect(insideValue('kernel', probe({ inside: '   ' }))).toBeUndefined();
    expect(insideValue('kernel', probe({}))).toBeUndefined();
    expect(insideValue('kernel', probe({ inside: 42 }))).toBeUndefined();
  });
});

describe('hostValues', () => {
  it('reads one text value', () => {
    expect(hostValues('os-release', probe({ host: ' Debian 12 ' }))).toEqual(['Debian 12']);
  });
  it('reads each interpreter of an object, normalized, without blanks, non-text or repeats', () => {
    const host = { python3: '3.11.7 (/usr/local/bin/python3)', 'python3.11': '3.11.2 (/usr/bin/python3.11)', again: '3.11.7 x', blank: ' ', n: 3 };
    expect(hostValues('python-version', probe({ host }))).toEqual(['3.11.7', '3.11.2']);
  });
  it('has no values for missing, null or numeric evidence', () => {
    expect(hostValues('kernel', probe({}))).toEqual([]);
    expect(hostValues('kernel', probe({ host: null }))).toEqual([]);
    expect(hostValues('kernel', probe({ host: 7 }))).toEqual([]);
  });
});
