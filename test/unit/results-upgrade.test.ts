import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/lifecycle/paths.js';
import { upgradeResults } from '../../src/results/upgrade.js';
import { runResultsSchema } from '../../src/results/schema.js';

describe('upgradeResults', () => {
  const v1 = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'results', 'sample-v1.json'), 'utf8')) as Record<string, unknown>;

  it('reads a v1 file: statistics recomputed from the samples (no interval below 6), verdicts left to be judged again', () => {
    expect(runResultsSchema.safeParse(v1).success).toBe(false);
    const up = runResultsSchema.parse(upgradeResults(v1));
    expect(up.schemaVersion).toBe(4);
    expect(up.claims).toEqual([]);
    const run = up.environments.find((e) => e.kind === 'docker')!.metrics['run.cli.ms']!;
    expect(run.stats!.n).toBe(5);
    expect(run.stats!.ci95).toBeNull();
    expect(run.stats!.ciCoverage).toBeNull();
    expect(up.notes.at(-3)).toMatch(/Upgraded from results schema v1/);
  });

  it('reads a v2 file: its stored verdicts (judged by older rules) are dropped to be judged again', () => {
    const v2 = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'results', 'recorded-2026-11-29.json'), 'utf8')) as Record<string, unknown>;
    expect(v2.schemaVersion).toBe(2);
    expect((v2.claims as unknown[]).length).toBeGreaterThan(0);
    const up = runResultsSchema.parse(upgradeResults(v2));
    expect(up.schemaVersion).toBe(4);
    expect(up.claims).toEqual([]);
    const stripped = up.environments.map(({ facts: { subject: _, ...facts }, ...e }) => ({ ...e, facts }));
    expect(stripped).toEqual((v2 as { environments: unknown }).environments);
    expect(up.notes.at(-2)).toMatch(/Upgraded from results schema v2/);
  });

  it('reads a v3 file: what each environment is comes from the facts it recorded, and its verdicts are judged again', () => {
    const v4 = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'reports', 'sample', 'results.json'), 'utf8')) as { environments: { facts: Record<string, string> }[] };
    const v3 = { ...v4, schemaVersion: 3, environments: v4.environments.map((e) => { const { subject: _, ...facts } = e.facts; return { ...e, facts }; }) };
    const up = runResultsSchema.parse(upgradeResults(v3));
    expect(up.schemaVersion).toBe(4);
    expect(up.claims).toEqual([]);
    expect(Object.fromEntries(up.environments.map((e) => [e.name, e.facts.subject]))).toMatchObject({
      'venv-python3': 'venv', 'docker-requests': 'debootstrap-image', 'docker-bullseye': 'debootstrap-image', 'vm-full': 'server-guest', 'vm-micro': 'micro-guest', 'vm-vagrant': 'vagrant-box',
    });
    expect(up.notes.at(-1)).toMatch(/Upgraded from results schema v3/);
  });

  it('leaves anything else to the schema', () => {
    expect(upgradeResults({ schemaVersion: 7 })).toEqual({ schemaVersion: 7 });
    expect(upgradeResults('x')).toBe('x');
  });
});
