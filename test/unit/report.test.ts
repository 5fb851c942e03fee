import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/lifecycle/paths.js';
import { renderJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { en } from '../../src/report/i18n/en.js';
import { ko } from '../../src/report/i18n/ko.js';
import { runResultsSchema, type RunResults } from '../../src/results/schema.js';

const sample = (): RunResults =>
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'results', 'sample.json'), 'utf8')) as RunResults;
const rowOf = (md: string, claimId: string) => md.split('\n').find((l) => l.startsWith(`| \`${claimId}\``)) ?? '';
/** Cells of a table row, splitting on pipes that are not escaped. */
const cells = (row: string) => row.split(/(?<!\\)\|/).slice(1, -1);
/** The verdict cells of the claims table: its last column, one per claim row. */
const claimVerdicts = (md: string) => md.split('\n').filter((l) => /^\| `[a-z0-9.-]+` \|/.test(l)).map((l) => cells(l).at(-1)!.trim());
/** The kind cells of the comparison table (the first table: Item, venv, Docker, VM), a verdict at the end of each. */
function comparisonCells(md: string): string[] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| Item |'));
  const rows: string[] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(lines[i]!);
  return rows.flatMap((r) => cells(r).slice(1).map((c) => c.trim()));
}

describe('sample results', () => {
  it('match the results schema', () => {
    expect(runResultsSchema.safeParse(sample()).success).toBe(true);
  });
});

describe('renderMarkdown', () => {
  const md = { en: renderMarkdown(sample(), 'en'), ko: renderMarkdown(sample(), 'ko') };

  it('puts each claim beside the measurement with a verdict, in English', () => {
    expect(rowOf(md.en, 'venv.table.size')).toMatch(/\| 비교 정리 › 구체적 비교표 › 크기 \| 10–50 MB \| 24\.6 MB \| venv-python3 \| ✅ confirmed · band: 10\.0 MB–50\.0 MB; outside it: within 2× or off · judged: disk used \(`du -sh`\) of a venv \|$/);
    expect(rowOf(md.en, 'venv.lab.activate')).toContain('3.01 ms (95% CI 2.83–3.20, coverage 97.8%, n=10) | venv-python3 | ✗ off by 3.32× (lower) · band: 10.0 ms ± 25%');
    expect(rowOf(md.en, 'docker.layers.image-a')).toContain("| 143 MB | docker-requests | ≠ unlike: shown, not judged: the document measured ubuntu with python3 and Django; docker-requests: the document's Dockerfile on python:3.9-slim (Linux host) |");
    expect(rowOf(md.en, 'venv.example.python-version')).toContain('| 3.11.2 | venv-python3 | ℹ informational: the document printed the version it happened to have (3.9.0); this run has another version');
    expect(rowOf(md.en, 'docker.lab.run-time')).toContain("◌ inconclusive: its 95% CI (0.604–1.84 s, n=10) crosses the band's edge (926 ms) · band: 1.23 s ± 25%");
    // The headline tallies are the rows' own verdicts, counted (not numbers copied from a run of the code).
    const table = comparisonCells(md.en);
    const count = (re: RegExp) => table.filter((c) => re.test(c)).length;
    expect(table).toHaveLength(33);
    expect(md.en).toContain(`**The document's comparison table, ${table.length} cells: agrees ${count(/✓ agrees$/)} · within 2× ${count(/≈ within 2×$/)} · disagrees ${count(/✗ disagrees$/)} · inconclusive ${count(/◌ inconclusive$/)} · not judged ${count(/not judged$/)}`);
    expect(count(/✓ agrees$/) + count(/≈ within 2×$/) + count(/✗ disagrees$/) + count(/◌ inconclusive$/) + count(/not judged$/)).toBe(33);
    const v = claimVerdicts(md.en);
    const n = (prefix: string) => v.filter((c) => c.startsWith(prefix)).length;
    expect(v.length).toBe(sample().claims.length);
    expect(md.en).toContain(`All ${v.length} claims, resting on`);
    expect(md.en).toContain(`: confirmed ${n('✅')} · within 2× ${n('≈')} · off ${n('✗ off')} · refuted ${n('✗ refuted')} · inconclusive ${n('◌')} · informational ${n('ℹ')} · not shown here ${n('◇')} · unlike ${n('≠')} · not measured ${n('—')}`);
    expect(n('✅') + n('≈') + n('✗ off') + n('✗ refuted') + n('◌') + n('ℹ') + n('◇') + n('≠') + n('—')).toBe(v.length);
    expect(rowOf(md.en, 'docker.layers.saves-disk')).toContain('144 MB vs 287 MB (A + B) | docker-requests | ✅ confirmed');
  });

  it('puts each claim beside the measurement with a verdict, in Korean', () => {
    expect(rowOf(md.ko, 'venv.table.size')).toMatch(/\| 10-50MB \| 24\.6 MB \| venv-python3 \| ✅ 일치 · 판정 기준: 10\.0 MB–50\.0 MB; 벗어나면 2배 이내 또는 불일치 · 판정 대상: venv의 디스크 사용량\(`du -sh`\) \|$/);
    expect(rowOf(md.ko, 'venv.lab.activate')).toContain('✗ 불일치: 3.32배 작음');
    expect(rowOf(md.ko, 'venv.table.port')).toContain('| ✗ | 공유됨 | venv-python3 | ✅ 일치 |');
    expect(rowOf(md.ko, 'venv.example.python-version')).toContain('ℹ 참고: 문서는 그때 설치된 버전(3.9.0)을 보여 준 것이고');
    expect(md.ko).toContain('## 문서의 주장과 이 컴퓨터의 측정값');
  });

  it('gives the reason a claim was not measured', () => {
    // Results without the security probes: the claim says the probes decided nothing, and what remains a judgment.
    expect(rowOf(md.en, 'venv.table.security')).toContain('— not measured: the syscall-kernel and root-mapping probes decided none');
    expect(rowOf(md.ko, 'venv.table.security')).toContain('— 측정 안 함: 여기서는 syscall-kernel과 root-mapping 프로브가');
    expect(rowOf(md.ko, 'venv.table.security')).toContain('수준으로서의 "낮음"은 판단입니다');
    expect(rowOf(md.en, 'vm.table.size')).toContain('— not measured: Virtual machine skipped');
    expect(md.en).toMatch(/\| vm-debian — Virtual machine \| skipped \| qemu-system-x86_64 was not found on PATH \| sudo apt install/);
  });

  it('shows numbers with median, CI, n and flagged outliers', () => {
    expect(md.en).toContain('| `time docker run … import requests` | 615 ms (95% CI 604–1841, coverage 97.8%, n=10) ⚠ 2 outliers |');
    expect(md.ko).toContain('이상값 2개');
  });

  it('escapes pipes so every table row keeps its columns', () => {
    const r = sample();
    r.environments[2]!.reason = 'qemu | kvm both missing';
    const text = renderMarkdown(r, 'en');
    expect(text).toContain('| qemu \\| kvm both missing |');
    expect(text).toContain('`command -v jq \\| wc -l`');
    const blocks = text.split(/\n\n/).filter((b) => b.startsWith('|'));
    for (const block of blocks) {
      const widths = block.trimEnd().split('\n').map((l) => cells(l).length);
      expect(new Set(widths).size, block.split('\n')[0]).toBe(1);
    }
  });

  it('says interrupted only for a run that finished interrupted, and in progress for one written while running', () => {
    const r = sample();
    expect(md.en).toContain('- Complete');
    r.complete = false;
    expect(renderMarkdown(r, 'en')).toContain('**⚠ Incomplete: the run was interrupted');
    expect(renderMarkdown(r, 'ko')).toContain('**⚠ 미완료: 실행이 중단되었습니다');
    delete r.finishedAt;
    expect(renderMarkdown(r, 'en')).toContain('**⏳ Incomplete: written while the run was still going');
    expect(renderMarkdown(r, 'en')).not.toContain('interrupted');
    expect(renderMarkdown(r, 'ko')).toContain('**⏳ 미완료: 실행 도중에 쓴 보고서입니다');
  });

  it('judges the claims itself when the results hold no verdicts yet', () => {
    const r = sample();
    r.claims = [];
    expect(rowOf(renderMarkdown(r, 'en'), 'venv.table.size')).toContain('✅ confirmed');
  });

  it('shows the host fingerprint and an undetermined probe', () => {
    const r = sample();
    r.environments[1]!.probes[0] = { id: 'port-clash', isolated: null, summary: 'Could not start the server.', evidence: {}, error: 'timeout' };
    const text = renderMarkdown(r, 'en');
    expect(text).toContain('| Docker storage driver | overlay2 |');
    expect(text).toContain('| Ports (two servers on one port) | ? not determined | Could not start the server. (timeout) |');
  });
});

describe('i18n', () => {
  const shape = (o: object): unknown =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v && typeof v === 'object' ? shape(v) : typeof v]));
  it('has the same keys in English and Korean', () => {
    expect(shape(ko)).toEqual(shape(en));
  });
});

describe('renderJson', () => {
  it('round-trips valid results', () => {
    expect(JSON.parse(renderJson(sample()))).toEqual(sample());
  });

  it('rejects invalid results, naming the path', () => {
    const bad = sample();
    (bad.environments[0]!.metrics['activate.ms'] as { unit: string }).unit = 'seconds';
    expect(() => renderJson(bad)).toThrow(/environments\.0\.metrics\.activate\.ms\.unit/);
  });
});
