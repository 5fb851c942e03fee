import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/lifecycle/paths.js';
import { axisFor, tickLabel } from '../../src/report/charts.js';
import { agreementOf, cellClaimId, TABLE_ROWS } from '../../src/report/comparison-table.js';
import { htmlReports, renderHtml } from '../../src/report/html.js';
import { loadClaims } from '../../src/claims/load.js';
import { KINDS } from '../../src/drivers/types.js';
import type { RunResults } from '../../src/results/schema.js';

const sample = (): RunResults =>
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'results', 'sample.json'), 'utf8')) as RunResults;
const chart = (html: string, id: string) => html.slice(html.indexOf(`<svg class="chart" id="chart-${id}"`)).split('</svg>')[0]!;
const row = (html: string, label: string) => html.slice(html.indexOf(`<th>${label}</th>`)).split('</tr>')[0]!;

describe('renderHtml', () => {
  const html = { en: renderHtml(sample(), 'en'), ko: renderHtml(sample(), 'ko') };

  it('is one self-contained file: no scripts, no external resources', () => {
    for (const text of Object.values(html)) {
      expect(text).toMatch(/^<!doctype html>/);
      expect(text).not.toMatch(/<script|<link|@import|src="http|url\(http/i);
      expect(text).toContain('<style>');
    }
    expect(html.ko).toContain('<html lang="ko">');
  });

  it('draws start, disk and memory charts with a bar per measured environment and the document beside it', () => {
    const start = chart(html.en, 'start');
    expect(start).toContain('data-scale="log"');
    expect(start.match(/class="bar bar-/g)).toHaveLength(2);
    expect(start).toContain('data-env="venv-python3"');
    expect(start).toContain('document: 1–3 s');
    expect(start).toContain('<g class="ci">');
    expect(start).toContain('Virtual machine skipped');
    expect(chart(html.ko, 'disk')).toContain('문서: 10-50MB');
    expect(chart(html.en, 'memory').match(/class="bar bar-/g)).toHaveLength(2);
    expect(chart(html.en, 'memory')).toContain('Memory of the same workload');
    expect(chart(html.en, 'hostMemory')).toMatch(/Container processes with the workload \(RSS\)[\s\S]*data-env="docker-requests"[\s\S]*38\.3 MB/);
  });

  it('tells every row apart in the chart labels (its step on the spectrum, then its suite), in both languages', () => {
    const reports = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'reports', 'sample', 'results.json'), 'utf8')) as RunResults;
    const labels = (lang: 'en' | 'ko') => [...chart(renderHtml(reports, lang), 'start').matchAll(/<text class="label"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels('en')).toEqual([
      'Python venv', 'Container (Docker) · bookworm', 'Container (Docker) · bullseye', 'Container (Docker) · trixie', 'Rootless container (Podman)',
      'Container under gVisor (runsc)', 'Micro-VM · bookworm', 'Micro-VM · bullseye', 'Full VM · vm-full', 'Full VM · vm-desktop', 'Full VM (Vagrant)',
    ]);
    expect(labels('ko')).toEqual([
      'Python 가상환경', '컨테이너 (Docker) · bookworm', '컨테이너 (Docker) · bullseye', '컨테이너 (Docker) · trixie', '루트리스 컨테이너 (Podman)',
      'gVisor(runsc) 위의 컨테이너', '마이크로 VM · bookworm', '마이크로 VM · bullseye', '전체 VM · vm-full', '전체 VM · vm-desktop', '전체 VM (Vagrant)',
    ]);
  });

  it("fills the document's comparison table with the measurement and an agreement mark per cell", () => {
    expect(row(html.en, 'Size')).toMatch(/cell agree[\s\S]*document: 10–50 MB[\s\S]*24\.6 MB[\s\S]*agrees/);
    expect(row(html.en, 'Start time (ready: a Python in it answers)')).toMatch(/cell agree[\s\S]*18\.3 ms[\s\S]*agrees[\s\S]*cell inconclusive[\s\S]*document: 1–3 s[\s\S]*615 ms[\s\S]*docker-requests/);
    expect(row(html.en, 'Python version')).toContain('shared (3.11.2)');
    expect(row(html.ko, '포트 격리')).toMatch(/문서: ✗[\s\S]*공유됨[\s\S]*일치/);
    expect(row(html.en, 'Size')).toMatch(/cell unknown[\s\S]*document: 5–20 GB[\s\S]*not judged/);
  });

  it('lists every claim, the host, notes, and the skipped VM with its fix', () => {
    expect(html.en.match(/<tr><td><code>[a-z]+\./g)?.length).toBe(loadClaims().length);
    expect(html.en).toContain('AMD Ryzen 7 5800X');
    expect(html.en).toContain('CPU frequency governor');
    expect(html.en).toMatch(/qemu-system-x86_64 was not found on PATH<\/td><td>sudo apt install/);
  });

  it('escapes text from the results', () => {
    const r = sample();
    r.environments[2]!.reason = '<img src=x onerror=alert(1)>';
    expect(renderHtml(r, 'en')).toContain('&#60;img src=x onerror=alert(1)&#62;');
  });

  it('names the files per language', () => {
    expect(htmlReports(sample(), 'both').map(([n]) => n)).toEqual(['report.html', 'report.ko.html']);
    expect(htmlReports(sample(), 'en').map(([n]) => n)).toEqual(['report.html']);
  });
});

describe('chart axes', () => {
  it('uses a log scale when values span more than 30×, linear from 0 otherwise', () => {
    const log = axisFor([0.2, 400, 45_000]);
    expect(log.log).toBe(true);
    expect(log.ticks).toEqual([0.1, 1, 10, 100, 1000, 10_000, 100_000]);
    const lin = axisFor([24e6, 31e6]);
    expect(lin.log).toBe(false);
    expect(lin.ticks[0]).toBe(0);
    expect(lin.ticks.at(-1)).toBeGreaterThanOrEqual(31e6);
  });

  it('labels ticks without trailing zeros', () => {
    expect([tickLabel(1000, 'ms'), tickLabel(100_000, 'ms'), tickLabel(120_000, 'ms'), tickLabel(1e9, 'bytes')]).toEqual(['1 s', '100 s', '2 min', '1 GB']);
  });
});

describe('comparison table claims', () => {
  it('has a claim in the claims file for every cell', () => {
    const ids = new Set(loadClaims().map((c) => c.id));
    for (const r of TABLE_ROWS) for (const k of KINDS) expect(ids.has(cellClaimId(r, k)), cellClaimId(r, k)).toBe(true);
  });

  it('reads verdicts as agreement', () => {
    expect(['confirmed', 'within-2x', 'off', 'refuted', 'not-measured', undefined].map((v) => agreementOf(v as never))).toEqual([
      'agree', 'close', 'disagree', 'disagree', 'unknown', 'unknown',
    ]);
  });
});
