import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/lifecycle/paths.js';
import { hostRows } from '../../src/report/host-rows.js';
import { en } from '../../src/report/i18n/en.js';
import { ko } from '../../src/report/i18n/ko.js';
import { runResultsSchema, type RunResults, type TimingFloor } from '../../src/results/schema.js';

const sample = (): RunResults => JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'results', 'sample.json'), 'utf8')) as RunResults;
const floor: TimingFloor = {
  spawner: 'posix_spawn',
  helper: 'python3 3.11.2',
  floorMs: 0.912,
  samples: [0.95, 0.91, 0.9],
  method: 'median wall time of `true` through the timing helper',
};

describe('the timing floor in the host fingerprint', () => {
  it('is optional: results written before it existed still validate', () => {
    const r = sample();
    expect(r.host.timing).toBeUndefined();
    expect(runResultsSchema.safeParse(r).success).toBe(true);
  });

  it('validates when present and rejects an unknown spawner', () => {
    const r = sample();
    r.host.timing = floor;
    expect(runResultsSchema.safeParse(r).success).toBe(true);
    r.host.timing = { ...floor, spawner: 'fork' as TimingFloor['spawner'] };
    expect(runResultsSchema.safeParse(r).success).toBe(false);
  });

  it('is a host row in English and Korean, saying which path timed the samples', () => {
    const h = { ...sample().host, timing: floor };
    expect(hostRows(h, en)).toContainEqual(['Process timing floor (`true`)', '0.912 ms (posix_spawn helper, python3 3.11.2)']);
    expect(hostRows(h, ko)).toContainEqual(['프로세스 측정 하한 (`true`)', '0.912 ms (posix_spawn 도우미, python3 3.11.2)']);
    const viaNode = { ...h, timing: { ...floor, spawner: 'node' as const, helper: 'not used: python3 not found' } };
    expect(hostRows(viaNode, en).find(([k]) => k.startsWith('Process timing'))![1]).toContain("Node's spawn (not used: python3 not found)");
    expect(hostRows(sample().host, en).some(([k]) => k.startsWith('Process timing'))).toBe(false);
  });
});
