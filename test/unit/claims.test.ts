import { describe, expect, it } from 'vitest';
import { loadClaims, parseClaims } from '../../src/claims/load.js';
import { likenessIssues, type Claim } from '../../src/claims/schema.js';
import { measureQuantity, metricIs } from '../../src/claims/metrics.js';
import { DOC_SUBJECTS } from '../../src/claims/subjects.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgeClaims, judgeNumber, judgePoint, versionMatches } from '../../src/claims/verdict.js';
import { PROBE_IDS, runResultsSchema, type EnvResult, type ProbeResult } from '../../src/results/schema.js';
import { summarize } from '../../src/measure/stats.js';

// The metric ids the drivers and the runner produce (the brief's list), kept literal on purpose.
const DRIVER_METRICS = new Set([
  'create.ms', 'install.ms', 'ready.python.ms', 'instance.up.ms', 'import.first.ms', 'import.warm.ms', 'python.maxrss.bytes',
  'disk.apparent.bytes', 'disk.allocated.bytes', 'disk.files.count', 'activate.ms', 'bash.baseline.ms',
  'image.bytes', 'image.layers.count', 'build.cold.ms', 'build.cached.ms', 'run.cli.ms', 'run.api.create.ms',
  'run.api.start.ms', 'run.api.firstOutput.ms', 'run.api.exit.ms', 'run.api.remove.ms', 'layers.a.bytes',
  'layers.b.bytes', 'layers.shared.bytes', 'layers.sum.bytes', 'layers.diskUsed.bytes', 'memory.container.bytes',
  'memory.python.bytes', 'disk.actual.bytes', 'disk.virtual.bytes', 'memory.given.bytes', 'memory.qemuRss.bytes',
  'memory.guestUsed.bytes', 'memory.processes.bytes', 'disk.guestSize.bytes', 'disk.guestUsed.bytes', 'disk.guestAvail.bytes',
]);

function env(over: Partial<EnvResult> = {}): EnvResult {
  return {
    kind: 'venv', name: 'venv-a', label: 'venv A', status: 'completed', steps: [], metrics: {}, probes: [],
    notes: [], facts: {}, ...over,
  };
}
const ms = (value: number) => ({ unit: 'ms' as const, value, method: 'test' });
const bytes = (value: number) => ({ unit: 'bytes' as const, value, method: 'test' });
const probe = (id: ProbeResult['id'], isolated: boolean | null, extra: Partial<ProbeResult> = {}): ProbeResult => ({
  id, isolated, summary: `${id} seen`, evidence: {}, ...extra,
});
const base = { where: 'w', says: { ko: 'k', en: 'e' } };
const claim = (c: Record<string, unknown>): Claim => ({ id: 'c', kind: 'venv', ...base, ...c }) as Claim;
const judgeOne = (c: Claim, envs: EnvResult[]) => judgeClaims([c], envs)[0]!;

describe('document.yaml', () => {
  const claims = loadClaims();

  it('loads, with unique ids', () => {
    expect(claims.length).toBeGreaterThan(50);
    expect(new Set(claims.map((c) => c.id)).size).toBe(claims.length);
  });

  it('uses only metric ids the drivers produce and valid probe ids', () => {
    for (const c of claims) {
      if ('metric' in c) expect(DRIVER_METRICS, c.id).toContain(c.metric);
      if ('than' in c) expect(DRIVER_METRICS, c.id).toContain(c.than);
      if ('probe' in c) expect(PROBE_IDS, c.id).toContain(c.probe);
    }
  });

  it('covers every check kind and every environment kind', () => {
    expect(new Set(claims.map((c) => c.check))).toEqual(
      new Set(['range', 'point', 'less-than', 'isolation', 'differs', 'equals', 'holds', 'rank', 'ratio', 'security', 'unmeasurable']),
    );
    expect(new Set(claims.map((c) => c.kind))).toEqual(new Set(['venv', 'docker', 'vm']));
  });

  it('compares like with like in every claim: one quantity, the document\'s way where isobench has it, on a like thing', () => {
    for (const c of claims) expect(likenessIssues(c), c.id).toEqual([]);
    const numeric = claims.filter((c) => ['range', 'point', 'less-than', 'ratio', 'rank'].includes(c.check));
    expect(numeric.every((c) => 'doc' in c)).toBe(true);
    const recorded = runResultsSchema.parse(JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'reports', 'sample', 'results.json'), 'utf8')));
    const byId = new Map(claims.map((c) => [c.id, c]));
    const verdicts = judgeClaims(claims, recorded.environments);
    let judged = 0;
    for (const v of verdicts) {
      const c = byId.get(v.claimId)!;
      if (!('doc' in c) || c.check === 'rank' || ['not-measured', 'unlike'].includes(v.verdict)) continue;
      judged++;
      expect(v.basis, v.claimId).toBeDefined();
      expect(DOC_SUBJECTS[c.doc.on].like as readonly string[], v.claimId).toContain(v.basis!.on);
      if (c.doc.how !== 'unstated') expect(v.basis!.how, v.claimId).toBe(c.doc.how);
      expect(metricIs(c.metric, c.kind, c.doc.what), v.claimId).toBe(true);
    }
    expect(judged).toBeGreaterThan(10);
    for (const c of numeric) if (c.check === 'rank') for (const m of c.by) expect(measureQuantity(m), c.id).toBeDefined();
  });

  it('holds the headline numbers of the document', () => {
    const byId = new Map(claims.map((c) => [c.id, c]));
    expect(byId.get('venv.table.size')).toMatchObject({ metric: 'disk.allocated.bytes', range: [10e6, 50e6] });
    expect(byId.get('docker.lab.run-time')).toMatchObject({ metric: 'run.cli.ms', value: 1234, tolerance: 0.25 });
    expect(byId.get('docker.table.start')).toMatchObject({ range: [1000, 3000] });
    expect(byId.get('vm.lab.boot-45s')).toMatchObject({ metric: 'instance.up.ms', value: 45000 });
    expect(byId.get('venv.table.port')).toMatchObject({ probe: 'port-clash', isolated: false });
  });
});

describe('parseClaims', () => {
  const yaml = (claims: string) => `document: d\nclaims:\n${claims}`;
  const one = (id: string, extra: string) =>
    `  - { id: ${id}, kind: venv, where: w, says: { ko: k, en: e }, ${extra} }\n`;

  it('rejects duplicate ids, naming the path', () => {
    const text = yaml(one('a', 'check: isolation, probe: kernel, isolated: false').repeat(2));
    expect(() => parseClaims(text, 'x.yaml')).toThrow(/x\.yaml[\s\S]*claims\.1\.id: duplicate claim id "a"/);
  });

  it('rejects unknown metrics and metrics of another kind', () => {
    expect(() => parseClaims(yaml(one('a', 'check: point, metric: nope.ms, value: 1')))).toThrow(/claims\.0\.metric/);
    expect(() => parseClaims(yaml(one('a', 'doc: { what: image.size, how: unstated, on: a-venv }, check: point, metric: image.bytes, value: 1')))).toThrow(
      /image\.bytes is not measured for venv/,
    );
  });

  it('defaults the tolerance to 25%', () => {
    const [c] = parseClaims(yaml(one('a', 'doc: { what: time.activate, how: time-source, on: a-venv }, check: point, metric: activate.ms, value: 10')));
    expect(c).toMatchObject({ tolerance: 0.25 });
  });
});

describe('judgeNumber / judgePoint / versionMatches', () => {
  it('confirms inside the range, else gives the factor outside', () => {
    expect(judgeNumber(30e6, 10e6, 50e6)).toEqual({ verdict: 'confirmed' });
    expect(judgeNumber(80e6, 10e6, 50e6)).toEqual({ verdict: 'within-2x', factor: 1.6 });
    expect(judgeNumber(5e6, 10e6, 50e6)).toEqual({ verdict: 'within-2x', factor: 2 });
    expect(judgeNumber(600, 1000, 3000)).toMatchObject({ verdict: 'within-2x' });
    expect(judgeNumber(250, 1000, 3000)).toEqual({ verdict: 'off', factor: 4 });
    expect(judgeNumber(0, 1, 2)).toEqual({ verdict: 'off' });
  });

  it('judges points with a relative tolerance and a factor either way', () => {
    expect(judgePoint(12, 10, 0.25)).toEqual({ verdict: 'confirmed' });
    expect(judgePoint(7.5, 10, 0.25)).toEqual({ verdict: 'confirmed' });
    expect(judgePoint(15, 10, 0.25)).toEqual({ verdict: 'within-2x', factor: 1.5 });
    expect(judgePoint(2.5, 10, 0.25)).toEqual({ verdict: 'off', factor: 4 });
  });

  it('matches versions exactly or by prefix', () => {
    expect(versionMatches('2.31.0', '2.31.0')).toBe(true);
    expect(versionMatches('3.9.18', '3.9')).toBe(true);
    expect(versionMatches('3.10.1', '3.1')).toBe(false);
  });
});

describe('judgeClaims', () => {
  const range = claim({ check: 'range', metric: 'disk.allocated.bytes', range: [10e6, 50e6] });

  it('judges a range from the metric and carries the unit', () => {
    const v = judgeOne(range, [env({ metrics: { 'disk.allocated.bytes': bytes(24e6) } })]);
    expect(v).toEqual({ claimId: 'c', kind: 'venv', env: 'venv-a', verdict: 'confirmed', measured: { value: 24e6, unit: 'bytes' } });
  });

  it('reports within 2× and off with the factor', () => {
    expect(judgeOne(range, [env({ metrics: { 'disk.allocated.bytes': bytes(75e6) } })])).toMatchObject({
      verdict: 'within-2x', factor: 1.5,
    });
    expect(judgeOne(range, [env({ metrics: { 'disk.allocated.bytes': bytes(600e6) } })])).toMatchObject({
      verdict: 'off', factor: 12,
    });
  });

  it('judges points', () => {
    const point = claim({ check: 'point', metric: 'activate.ms', value: 10, tolerance: 0.25 });
    expect(judgeOne(point, [env({ metrics: { 'activate.ms': ms(11) } })])).toMatchObject({ verdict: 'confirmed' });
    expect(judgeOne(point, [env({ metrics: { 'activate.ms': ms(3) } })])).toMatchObject({ verdict: 'off' });
  });

  it('uses the first completed environment of the kind that has the metric', () => {
    const envs = [
      env({ name: 'other-kind', kind: 'docker', metrics: { 'disk.allocated.bytes': bytes(1) } }),
      env({ name: 'no-metric' }),
      env({ name: 'has-it', metrics: { 'disk.allocated.bytes': bytes(20e6) } }),
    ];
    expect(judgeOne(range, envs)).toMatchObject({ env: 'has-it', verdict: 'confirmed' });
  });

  it('says which metric a completed environment lacks', () => {
    expect(judgeOne(range, [env()])).toMatchObject({
      verdict: 'not-measured', env: 'venv-a', why: 'venv-a did not measure disk.allocated.bytes',
    });
  });

  it('judges comparisons', () => {
    const lt = claim({ kind: 'docker', check: 'less-than', metric: 'layers.diskUsed.bytes', than: 'layers.sum.bytes' });
    const docker = (used: number) =>
      env({ kind: 'docker', name: 'd', metrics: { 'layers.diskUsed.bytes': bytes(used), 'layers.sum.bytes': bytes(457e6) } });
    expect(judgeOne(lt, [docker(230e6)])).toMatchObject({ verdict: 'confirmed', measured: { value: 230e6, unit: 'bytes' } });
    expect(judgeOne(lt, [docker(500e6)])).toMatchObject({ verdict: 'refuted' });
  });

  it('judges isolation: equal, different, inconclusive, missing', () => {
    const iso = claim({ check: 'isolation', probe: 'port-clash', isolated: false });
    expect(judgeOne(iso, [env({ probes: [probe('port-clash', false)] })])).toMatchObject({
      verdict: 'confirmed', measured: { value: false }, why: 'port-clash seen',
    });
    expect(judgeOne(iso, [env({ probes: [probe('port-clash', true)] })])).toMatchObject({ verdict: 'refuted' });
    expect(judgeOne(iso, [env({ probes: [probe('port-clash', null, { error: 'port busy' })] })])).toMatchObject({
      verdict: 'not-measured', why: 'port busy',
    });
    expect(judgeOne(iso, [env({ probes: [probe('kernel', false)] })])).toMatchObject({
      verdict: 'not-measured', why: 'venv-a did not measure the port-clash probe',
    });
  });

  it('shows the versions the document happened to print as information, never refuting it for them', () => {
    const eq = claim({ check: 'equals', fact: 'requests.version', value: '2.31.0' });
    expect(judgeOne(eq, [env({ facts: { 'requests.version': '2.31.0' } })])).toMatchObject({ verdict: 'info', measured: { value: '2.31.0' } });
    const other = judgeOne(eq, [env({ facts: { 'requests.version': '2.32.3' } })]);
    expect(other).toMatchObject({ verdict: 'info', measured: { value: '2.32.3' } });
    expect(other.why).toMatch(/another version/);
  });

  it('shows a number measured on something unlike the document\'s as unlike, naming both, and judges a like row where there is one', () => {
    const c = claim({ kind: 'vm', check: 'point', metric: 'disk.guestUsed.bytes', value: 8e9, tolerance: 0.25, doc: { what: 'disk.used', how: 'df-used', on: 'ubuntu-desktop' } });
    const server = env({ name: 'vm-full', kind: 'vm', facts: { subject: 'server-guest' }, metrics: { 'disk.guestUsed.bytes': bytes(763e6) } });
    expect(judgeOne(c, [server])).toMatchObject({
      env: 'vm-full', verdict: 'unlike', measured: { value: 763e6 },
      note: { code: 'unlike-on', args: { env: 'vm-full', docOn: 'ubuntu-desktop', on: 'server-guest' } },
      basis: { what: 'disk.used', docHow: 'df-used', how: 'df-used', docOn: 'ubuntu-desktop', on: 'server-guest' },
    });
    const desktop = env({ name: 'vm-desktop', kind: 'vm', facts: { subject: 'desktop-guest' }, metrics: { 'disk.guestUsed.bytes': bytes(7.5e9) } });
    expect(judgeOne(c, [server, desktop])).toMatchObject({ env: 'vm-desktop', verdict: 'confirmed', basis: { on: 'desktop-guest' } });
    // An environment that recorded no subject is like nothing.
    expect(judgeOne(c, [env({ kind: 'vm', metrics: { 'disk.guestUsed.bytes': bytes(8e9) } })])).toMatchObject({ verdict: 'unlike', note: { args: { on: 'unknown' } } });
  });

  it('judges yes/no facts with their evidence', () => {
    const c = claim({ kind: 'docker', check: 'holds', fact: 'docker.image.readOnly' });
    const with_ = (v: string) => judgeOne(c, [env({ kind: 'docker', facts: { 'docker.image.readOnly': v } })]);
    expect(with_('yes: image ID unchanged')).toMatchObject({ verdict: 'confirmed', measured: { value: true }, why: 'image ID unchanged' });
    expect(with_('no: image ID changed')).toMatchObject({ verdict: 'refuted', measured: { value: false } });
    expect(with_('not measured: the containers could not write')).toMatchObject({ verdict: 'not-measured' });
  });


  it('gives the reason of a skipped or errored environment', () => {
    const skipped = env({ name: 'vm-1', kind: 'vm', status: 'skipped', reason: 'no /dev/kvm' });
    const vmClaim = claim({ kind: 'vm', check: 'point', metric: 'instance.up.ms', value: 45000, tolerance: 0.25 });
    expect(judgeOne(vmClaim, [skipped])).toEqual({
      claimId: 'c', kind: 'vm', env: 'vm-1', verdict: 'not-measured', why: 'vm-1 skipped: no /dev/kvm', note: { code: 'env-status', args: { env: 'vm-1', status: 'skipped' } },
    });
    const errored = env({ status: 'errored', reason: 'pip failed' });
    expect(judgeOne(range, [errored])).toMatchObject({ verdict: 'not-measured', why: 'venv-a errored: pip failed' });
  });

  it('says when no environment of the kind ran', () => {
    expect(judgeOne(range, [])).toMatchObject({ verdict: 'not-measured', why: 'no venv environment in this run' });
  });

  it('passes on the why of unmeasurable claims', () => {
    const un = claim({ check: 'unmeasurable', why: { en: 'a judgment', ko: '판단' } });
    expect(judgeOne(un, [env()])).toEqual({ claimId: 'c', kind: 'venv', verdict: 'not-measured', why: 'a judgment', note: { code: 'unmeasurable', args: {} } });
  });
});

const sampled = (xs: number[], unit: 'ms' | 'bytes' = 'ms') => ({ unit, value: summarize(xs).median, method: 'test', samples: xs, stats: summarize(xs) });
const around = (m: number, spread: number, n = 10) => Array.from({ length: n }, (_, i) => m + ((i - (n - 1) / 2) / ((n - 1) / 2)) * spread);

describe('verdicts take n and the interval into account', () => {
  const range = claim({ check: 'range', metric: 'import.warm.ms', range: [100, 200] });
  const judged = (xs: number[]) => judgeOne(range, [env({ metrics: { 'import.warm.ms': sampled(xs) } })]);

  it('confirms only when the whole interval lies inside the band', () => {
    expect(judged(around(150, 20))).toMatchObject({ verdict: 'confirmed' });
    expect(judged(around(190, 30)).verdict).toBe('inconclusive');
    expect(judged(around(190, 30)).why).toMatch(/crosses the document's bound \(200\)/);
  });

  it('calls a number off only when the whole interval lies beyond 2×, and inconclusive across the 2× line', () => {
    expect(judged(around(1000, 50))).toMatchObject({ verdict: 'off', factor: 5 });
    expect(judged(around(300, 20))).toMatchObject({ verdict: 'within-2x', factor: 1.5 });
    const crossing = judged(around(420, 60));
    expect(crossing.verdict).toBe('inconclusive');
    expect(crossing.why).toMatch(/2× line/);
  });

  it('below 6 samples (no 95% interval) it judges on all samples and says so', () => {
    const few = judged([1000, 1100, 1050]);
    expect(few).toMatchObject({ verdict: 'off' });
    expect(few.why).toMatch(/all 3 samples .*too few for a 95% interval/);
    expect(judged([150, 250, 160]).verdict).toBe('inconclusive');
  });

  it('judges less-than by separated spans', () => {
    const lt = claim({ check: 'less-than', metric: 'import.warm.ms', than: 'import.first.ms' });
    const with_ = (a: number[], b: number[]) => judgeOne(lt, [env({ metrics: { 'import.warm.ms': sampled(a), 'import.first.ms': sampled(b) } })]).verdict;
    expect(with_(around(100, 5), around(200, 5))).toBe('confirmed');
    expect(with_(around(300, 5), around(200, 5))).toBe('refuted');
    expect(with_(around(190, 30), around(200, 30))).toBe('inconclusive');
  });

  it('ranks a kind among the kinds on each measure, with the spans apart', () => {
    const rank = (kind: 'venv' | 'docker' | 'vm', r: number) =>
      claim({ kind, check: 'rank', rank: r, by: [{ venv: 'ready.python.ms', docker: 'ready.python.ms', vm: 'ready.python.ms' }] });
    const envs = [
      env({ name: 'v', kind: 'venv', metrics: { 'ready.python.ms': sampled(around(20, 2)) } }),
      env({ name: 'd', kind: 'docker', metrics: { 'ready.python.ms': sampled(around(400, 30)) } }),
      env({ name: 'm', kind: 'vm', metrics: { 'ready.python.ms': sampled(around(9000, 300)) } }),
    ];
    expect(judgeOne(rank('venv', 1), envs)).toMatchObject({ verdict: 'confirmed', measured: { value: 'rank 1 of 3' } });
    expect(judgeOne(rank('vm', 3), envs).verdict).toBe('confirmed');
    expect(judgeOne(rank('docker', 1), envs).verdict).toBe('refuted');
    const close = [envs[0]!, env({ name: 'd', kind: 'docker', metrics: { 'ready.python.ms': sampled(around(25, 10)) } }), envs[2]!];
    expect(judgeOne(rank('venv', 1), close).verdict).toBe('inconclusive');
    expect(judgeOne(rank('venv', 1), envs.slice(0, 2))).toMatchObject({ verdict: 'not-measured' });
  });

  it('judges a ratio between kinds by the spans of both', () => {
    const ratio = claim({ kind: 'vm', check: 'ratio', metric: 'import.warm.ms', over: 'venv', above: 1 });
    const envs = (vm: number[]) => [
      env({ name: 'v', kind: 'venv', metrics: { 'import.warm.ms': sampled(around(100, 5)) } }),
      env({ name: 'm', kind: 'vm', metrics: { 'import.warm.ms': sampled(vm) } }),
    ];
    expect(judgeOne(ratio, envs(around(1300, 50)))).toMatchObject({ verdict: 'confirmed', measured: { value: '13.0× venv' } });
    expect(judgeOne(ratio, envs(around(100, 20))).verdict).toBe('inconclusive');
    expect(judgeOne(ratio, envs(around(50, 5))).verdict).toBe('refuted');
  });
});

