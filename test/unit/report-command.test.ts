import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { PACKAGE_ROOT } from '../../src/lifecycle/paths.js';
import type { RunResults } from '../../src/results/schema.js';

const SAMPLE = join(PACKAGE_ROOT, 'fixtures', 'results', 'sample.json');
let dir: string;
let out: string;
let err: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'isobench-report-'));
  out = err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/** A copy of the sample with docker run 3× slower (CI well above the sample's). */
function slower(): string {
  const r = JSON.parse(readFileSync(SAMPLE, 'utf8')) as RunResults;
  const m = r.environments.find((e) => e.kind === 'docker')!.metrics['run.cli.ms']!;
  Object.assign(m, { value: 6000, stats: { ...m.stats!, median: 6000, ci95: [5900, 6100] } });
  const path = join(dir, 'slower.json');
  writeFileSync(path, JSON.stringify(r));
  return path;
}

describe('isobench report', () => {
  it('re-renders one results file to stdout', async () => {
    expect(await main(['report', SAMPLE])).toBe(0);
    expect(out).toMatch(/^# isobench: venv vs container vs VM/);
  });

  it('writes HTML in both languages with --out, and a comparison for several files', async () => {
    expect(await main(['report', SAMPLE, '--format', 'html', '--out', join(dir, 'one')])).toBe(0);
    expect(existsSync(join(dir, 'one', 'report.html')) && existsSync(join(dir, 'one', 'report.ko.html'))).toBe(true);
    expect(await main(['report', SAMPLE, slower(), '--format', 'html', '--lang', 'en', '--out', join(dir, 'merged')])).toBe(0);
    expect(readFileSync(join(dir, 'merged', 'report.html'), 'utf8')).toContain('machines side by side');
  });

  it('exits 1 and names the metric when a run regressed against --baseline', async () => {
    expect(await main(['report', slower(), '--baseline', SAMPLE, '--threshold', '10%', '--junit', join(dir, 'j', 'claims.xml')])).toBe(1);
    expect(err).toMatch(/REGRESSED docker-requests run\.cli\.ms: 615 ms .* -> 6\.00 s/);
    expect(err).toMatch(/not judged \(no 95% interval on one side: a single value or under 6 samples\): .*docker-requests create\.ms/);
    expect(readFileSync(join(dir, 'j', 'claims.xml'), 'utf8')).toContain('<testsuites name="isobench">');
    err = '';
    expect(await main(['report', SAMPLE, '--baseline', SAMPLE])).toBe(0);
    expect(err).toContain('0 regression(s)');
  });

  it('exits 2 with one line naming the file and the schema path of a bad input', async () => {
    const bad = join(dir, 'bad.json');
    const r = JSON.parse(readFileSync(SAMPLE, 'utf8')) as RunResults;
    (r.environments[0] as { status: string }).status = 'done';
    writeFileSync(bad, JSON.stringify(r));
    expect(await main(['report', bad])).toBe(2);
    expect(err).toMatch(new RegExp(`^isobench: ${bad}: not isobench results \\(schema v4\\): environments\\.0\\.status: .*\\n$`));
    err = '';
    expect(await main(['report', join(dir, 'missing.json')])).toBe(2);
    expect(err).toBe(`isobench: ${join(dir, 'missing.json')}: cannot read the results file (ENOENT)\n`);
  });

  it('exits 2 on usage errors', async () => {
    expect(await main(['report'])).toBe(2);
    expect(await main(['report', SAMPLE, '--format', 'pdf'])).toBe(2);
    expect(await main(['report', SAMPLE, '--lang', 'both'])).toBe(2);
    expect(await main(['report', SAMPLE, '--baseline', SAMPLE, '--threshold', 'lots'])).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(4);
  });
});
