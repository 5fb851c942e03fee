// Which metric ids count as times and which density ids parse, pinned where the mutation run (npm run mutate) found gaps.
import { describe, expect, it } from 'vitest';
import { isTiming } from '../../src/claims/emulation.js';
import { densityMetricId, parseDensityMetricId } from '../../src/claims/metrics.js';

describe('isTiming', () => {
  it('counts a listed metric by its unit', () => {
    expect(isTiming('create.ms')).toBe(true);
    expect(isTiming('image.bytes')).toBe(false);
    expect(isTiming('disk.files.count')).toBe(false);
  });

  it('counts an unlisted metric (a density time) as a time when its id ends in .ms', () => {
    expect(isTiming(densityMetricId(4, 'ready'))).toBe(true);
    expect(isTiming(densityMetricId(4, 'pythonReady'))).toBe(true);
    expect(isTiming(densityMetricId(4, 'memory'))).toBe(false);
    expect(isTiming(densityMetricId(4, 'host'))).toBe(false);
  });
});

describe('parseDensityMetricId', () => {
  it('parses only a whole density id, nothing before or after it', () => {
    expect(parseDensityMetricId('density.k4.ready.ms')).toEqual({ k: 4, part: 'ready' });
    expect(parseDensityMetricId('old.density.k4.ready.ms')).toBeUndefined();
    expect(parseDensityMetricId('density.k4.ready.ms\n')).toBeUndefined();
  });
});
