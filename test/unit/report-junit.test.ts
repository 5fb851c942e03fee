import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadClaims } from '../../src/claims/load.js';
import { PACKAGE_ROOT } from '../../src/lifecycle/paths.js';
import { renderJunit } from '../../src/report/junit.js';
import type { RunResults } from '../../src/results/schema.js';

const sample = (): RunResults =>
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'results', 'sample.json'), 'utf8')) as RunResults;
const testcase = (xml: string, id: string) => xml.slice(xml.indexOf(`name="${id}"`)).split('</testcase>')[0]!;

describe('renderJunit', () => {
  const r = sample();
  const xml = renderJunit([{ name: 'lab.json', results: r }], loadClaims());

  it('has one testcase per claim, with counts on the suite', () => {
    const count = (v: string) => r.claims.filter((c) => c.verdict === v).length;
    expect(xml.match(/<testcase /g)).toHaveLength(r.claims.length);
    expect(xml).toContain(`tests="${r.claims.length}" failures="${count('off') + count('refuted')}" errors="0" skipped="${count('not-measured') + count('inconclusive') + count('not-shown')}"`);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="isobench">/);
  });

  it('fails refuted and off claims, skips unmeasured and inconclusive ones, passes the rest', () => {
    expect(testcase(xml, 'venv.example.python-version')).not.toMatch(/<failure|<skipped/);
    expect(testcase(xml, 'docker.lab.run-time')).toContain('<skipped message="◌ inconclusive: its 95% CI');
    expect(testcase(xml, 'venv.lab.activate')).toContain('<failure type="off" message="✗ off by 3.32× (lower) · band: 10.0 ms ± 25%; outside it: within 2× or off · judged: activation time (`time source …/activate`) of a venv"/>');
    expect(testcase(xml, 'vm.table.size')).toContain('<skipped message="— not measured: Virtual machine skipped');
    expect(testcase(xml, 'venv.table.size')).not.toMatch(/<failure|<skipped/);
    expect(xml).toContain('<testcase classname="isobench.venv" name="venv.table.size"');
  });

  it('escapes text and drops characters XML forbids', () => {
    const bad = sample();
    bad.host.hostname = 'a<b>&"\u0001';
    expect(renderJunit([{ name: 'x', results: bad }], loadClaims())).toContain('hostname="a&#60;b&#62;&#38;&#34;"');
  });
});
