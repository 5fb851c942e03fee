import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadClaims } from '../../src/claims/load.js';
import { PACKAGE_ROOT } from '../../src/lifecycle/paths.js';
import { compareRows, machinesOf, renderCompareHtml, renderCompareJson, renderCompareMarkdown } from '../../src/report/compare.js';
import { en } from '../../src/report/i18n/en.js';
import type { RunResults } from '../../src/results/schema.js';

const sample = (): RunResults =>
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'results', 'sample.json'), 'utf8')) as RunResults;

/** A second machine: slower docker run, no venv. */
function other(): RunResults {
  const r = sample();
  r.host.hostname = 'ci-runner';
  r.runId = 'run-2';
  r.environments = r.environments.filter((e) => e.kind !== 'venv');
  const docker = r.environments[0]!;
  docker.metrics['run.cli.ms'] = { unit: 'ms', value: 1400, method: 'time docker run' };
  r.claims = [];
  return r;
}

describe('comparison report', () => {
  const machines = machinesOf([sample(), other()]);

  it('labels machines by host, adding the run id when a host repeats', () => {
    expect(machines.map((m) => m.label)).toEqual(['lab-pc-07', 'ci-runner']);
    expect(machinesOf([sample(), sample()]).map((m) => m.label)).toEqual(['lab-pc-07 (20260110-091204-k3f9)', 'lab-pc-07 (20260110-091204-k3f9)']);
  });

  it('has one row per environment and metric with a cell per machine', () => {
    const rows = compareRows(machines, en);
    const run = rows.find((r) => r.env === 'docker-requests' && r.metric === 'run.cli.ms')!;
    expect(run.cells.map((c) => c?.value)).toEqual([615.3615, 1400]);
    const activate = rows.find((r) => r.metric === 'activate.ms')!;
    expect(activate.cells[1]).toBeUndefined();
    expect(rows[0]!.env).toBe('venv-python3');
  });

  it('renders Markdown, HTML and JSON side by side', () => {
    const md = renderCompareMarkdown(machines, 'en', loadClaims());
    expect(md).toContain('| Environment | Metric | lab-pc-07 | ci-runner |');
    expect(md).toMatch(/`time docker run … import requests` \| 615 ms \(95% CI 604–1841, coverage 97\.8%, n=10\) \| 1\.40 s \|/);
    expect(md).toContain('| `source bin/activate` | 3.01 ms (95% CI 2.83–3.20, coverage 97.8%, n=10) | — |');
    const html = renderCompareHtml(machines, 'ko', loadClaims());
    expect(html).toContain('<html lang="ko">');
    expect(html.match(/data-env="docker-requests@/g)?.length).toBe(8);
    expect(html).toContain('ci-runner');
    const json = JSON.parse(renderCompareJson(machines, loadClaims())) as { machines: unknown[]; claims: { claimId: string; verdicts: unknown[] }[] };
    expect(json.machines).toHaveLength(2);
    // The table's start time is judged the document's way, on `time docker run`, as its lab's run time is.
    expect(json.claims.find((c) => c.claimId === 'docker.table.start')!.verdicts).toEqual(['inconclusive', 'confirmed']);
    expect(json.claims.find((c) => c.claimId === 'docker.lab.run-time')!.verdicts).toEqual(['inconclusive', 'confirmed']);
  });
});
