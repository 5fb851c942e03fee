// What the verdict engine (src/claims/verdict.ts) decides and says, pinned where the mutation run (npm run mutate) found gaps.
import { describe, expect, it } from 'vitest';
import type { Claim } from '../../src/claims/schema.js';
import { clearlyBelow, judgeClaims, judgeMetric, judgeNumber, judgePoint, spanOf, versionMatches } from '../../src/claims/verdict.js';
import { formatValue } from '../../src/report/format.js';
import type { EnvResult, MetricResult, ProbeResult } from '../../src/results/schema.js';

function env(over: Partial<EnvResult> = {}): EnvResult {
  return { kind: 'venv', name: 'venv-a', label: 'venv A', status: 'completed', steps: [], metrics: {}, probes: [], notes: [], facts: {}, ...over };
}
const base = { where: 'w', says: { ko: 'k', en: 'e' } };
const claim = (c: Record<string, unknown>): Claim => ({ id: 'c', kind: 'venv', ...base, ...c }) as Claim;
const judgeOne = (c: Claim, envs: EnvResult[]) => judgeClaims([c], envs)[0]!;
const probe = (id: ProbeResult['id'], isolated: boolean | null, extra: Partial<ProbeResult> = {}): ProbeResult => ({
  id, isolated, summary: `${id} seen`, evidence: {}, ...extra,
});

/** One number, no samples. */
const one = (value: number, unit: MetricResult['unit'] = 'ms'): MetricResult => ({ unit, value, method: 't' });
/** A sampled number whose 95% CI is [lo, hi] (n = 10); its samples may spread wider. */
const ci = (lo: number, hi: number, o: { value?: number; min?: number; max?: number; unit?: MetricResult['unit'] } = {}): MetricResult => {
  const value = o.value ?? (lo + hi) / 2;
  return {
    unit: o.unit ?? 'ms', value, method: 't',
    stats: { n: 10, median: value, mean: value, min: o.min ?? lo, max: o.max ?? hi, mad: 1, ci95: [lo, hi], ciCoverage: 0.979, outliers: [] },
  };
};
/** A sampled number with too few samples for an interval: only its min and max. */
const few = (n: number, min: number, max: number, value = (min + max) / 2): MetricResult => ({
  unit: 'ms', value, method: 't',
  stats: { n, median: value, mean: value, min, max, mad: 0, ci95: null, ciCoverage: null, outliers: [] },
});
const tcgVm = (over: Partial<EnvResult> = {}) => env({ kind: 'vm', name: 'vm-t', facts: { 'vm.accel': 'TCG' }, ...over });

describe('which environment a claim is judged in', () => {
  const range = claim({ check: 'range', metric: 'disk.allocated.bytes', range: [10e6, 50e6] });

  it('never judges the metrics an errored environment recorded: the completed one is used', () => {
    const envs = [
      env({ name: 'venv-broken', status: 'errored', metrics: { 'disk.allocated.bytes': one(600e6, 'bytes') } }),
      env({ name: 'venv-ok', metrics: { 'disk.allocated.bytes': one(24e6, 'bytes') } }),
    ];
    expect(judgeOne(range, envs)).toMatchObject({ env: 'venv-ok', verdict: 'confirmed' });
  });

  it('passes over an environment holding only one of the two numbers of a less-than claim', () => {
    const lt = claim({ check: 'less-than', metric: 'import.warm.ms', than: 'import.first.ms' });
    const envs = [
      env({ name: 'venv-half', metrics: { 'import.warm.ms': one(10) } }),
      env({ name: 'venv-both', metrics: { 'import.warm.ms': one(10), 'import.first.ms': one(100) } }),
    ];
    expect(judgeOne(lt, envs)).toMatchObject({ env: 'venv-both', verdict: 'confirmed' });
  });

  it('judges a "can differ" claim in an environment that ran its probe', () => {
    const differs = claim({ kind: 'docker', check: 'differs', probe: 'python-version' });
    const seen = probe('python-version', true, { evidence: { inside: '3.9.2', host: '3.11.7' } });
    expect(judgeOne(differs, [env({ kind: 'docker', name: 'd', probes: [seen] })])).toMatchObject({ env: 'd', verdict: 'confirmed' });
  });

  it('judges a security claim on the syscall-kernel probe alone', () => {
    const sec = claim({ kind: 'docker', check: 'security', kernel: 'host', rest: { en: 'the rest is a judgment', ko: 'k' } });
    const sk = probe('syscall-kernel', false, { evidence: { answeredBy: 'host' } });
    const v = judgeOne(sec, [env({ kind: 'docker', name: 'd', probes: [sk] })]);
    expect(v).toMatchObject({ env: 'd', verdict: 'info' });
    expect(v.why).toContain('the rest is a judgment');
  });
});

describe('a cross-kind claim names the number the comparison lacks', () => {
  const rank = claim({ check: 'rank', rank: 1, by: [{ venv: 'ready.python.ms', docker: 'ready.python.ms' }] });

  it('a rank lacking the other kind\'s number is not measured, naming that kind and metric', () => {
    const v = judgeOne(rank, [env({ name: 'v', metrics: { 'ready.python.ms': one(20) } }), env({ kind: 'docker', name: 'd' })]);
    expect(v).toMatchObject({ env: 'v', verdict: 'not-measured', note: { code: 'cross-kind-missing', args: { missing: 'docker: ready.python.ms' } } });
    expect(v.why).toContain('docker: ready.python.ms');
  });

  it('a ratio over a kind whose environment errored lacks that kind\'s number, even one it recorded', () => {
    const ratio = claim({ kind: 'vm', check: 'ratio', metric: 'import.warm.ms', over: 'venv', above: 1 });
    const envs = [env({ name: 'v', status: 'errored', metrics: { 'import.warm.ms': one(100) } }), env({ kind: 'vm', name: 'm', metrics: { 'import.warm.ms': one(1300) } })];
    const v = judgeOne(ratio, envs);
    expect(v).toMatchObject({ env: 'm', verdict: 'not-measured', note: { code: 'cross-kind-missing', args: { missing: 'venv: import.warm.ms' } } });
    expect(v.why).toContain('venv: import.warm.ms');
  });

  it('compares with the first completed environment of each other kind', () => {
    const envs = [
      env({ name: 'v', metrics: { 'ready.python.ms': ci(18, 22) } }),
      env({ kind: 'docker', name: 'd-first', metrics: { 'ready.python.ms': ci(380, 420) } }),
      env({ kind: 'docker', name: 'd-later', metrics: { 'ready.python.ms': ci(5, 8) } }),
    ];
    expect(judgeOne(rank, envs).verdict).toBe('confirmed');
  });
});

describe('what a completed environment did not measure', () => {
  const cases: [string, Claim, string][] = [
    ['a point', claim({ check: 'point', metric: 'activate.ms', value: 10, tolerance: 0.25 }), 'activate.ms'],
    ['a less-than', claim({ check: 'less-than', metric: 'import.warm.ms', than: 'import.first.ms' }), 'import.warm.ms and import.first.ms'],
    ['a "can differ"', claim({ check: 'differs', probe: 'python-version' }), 'the python-version probe'],
    ['an equals', claim({ check: 'equals', fact: 'requests.version', value: '2.31.0' }), 'requests.version'],
    ['a yes/no', claim({ check: 'holds', fact: 'docker.image.readOnly' }), 'docker.image.readOnly'],
  ];
  for (const [what, c, missing] of cases) {
    it(`${what} claim names what is missing: ${missing}`, () => {
      // The environment ran one other probe and holds one other number: neither is what the claim needs.
      const e = env({ name: 'e', metrics: { 'import.warm.ms': one(10) }, probes: [probe('kernel', false)] });
      expect(judgeOne(c, [e])).toMatchObject({
        env: 'e', verdict: 'not-measured', why: `e did not measure ${missing}`, note: { code: 'not-recorded', args: { env: 'e', what: missing } },
      });
    });
  }

  it('a security claim names both probes it rests on', () => {
    const sec = claim({ check: 'security', kernel: 'host', rest: { en: 'r', ko: 'k' } });
    const v = judgeOne(sec, [env({ name: 'e', probes: [probe('kernel', false)] })]);
    expect(v).toMatchObject({ verdict: 'not-measured', note: { code: 'not-recorded' } });
    expect(v.note!.args.what).toMatch(/syscall-kernel/);
    expect(v.note!.args.what).toMatch(/root-mapping/);
  });

  it('an environment that errored with no reason is named with its status alone', () => {
    const range = claim({ check: 'range', metric: 'disk.allocated.bytes', range: [10e6, 50e6] });
    expect(judgeOne(range, [env({ status: 'errored' })])).toMatchObject({ verdict: 'not-measured', why: 'venv-a errored' });
  });

  it('with no environment of the kind, the note names the kind', () => {
    const c = claim({ kind: 'docker', check: 'range', metric: 'image.bytes', range: [1, 2] });
    expect(judgeOne(c, [env()])).toMatchObject({ verdict: 'not-measured', note: { code: 'no-env', args: { kind: 'docker' } } });
  });
});

describe('isolation, versions and yes/no facts', () => {
  it('an isolation claim reads its own probe among the others', () => {
    const iso = claim({ check: 'isolation', probe: 'port-clash', isolated: false });
    expect(judgeOne(iso, [env({ probes: [probe('kernel', true), probe('port-clash', false)] })]).verdict).toBe('confirmed');
  });

  it('a probe that could not decide gives a note naming the probe', () => {
    const iso = claim({ check: 'isolation', probe: 'port-clash', isolated: false });
    expect(judgeOne(iso, [env({ probes: [probe('port-clash', null)] })])).toMatchObject({
      verdict: 'not-measured', note: { code: 'probe-undetermined', args: { probe: 'port-clash' } },
    });
  });

  it('says when the run has the version the document printed', () => {
    const eq = claim({ check: 'equals', fact: 'requests.version', value: '2.31' });
    expect(judgeOne(eq, [env({ facts: { 'requests.version': '2.31.0' } })]).why).toMatch(/this run has the same version/);
  });

  it('matches a version prefix after trimming what was recorded', () => {
    expect(versionMatches(' 3.9.18\n', '3.9')).toBe(true);
  });

  it('an answer other than yes or no is not measured, quoted in its note', () => {
    const c = claim({ kind: 'docker', check: 'holds', fact: 'docker.image.readOnly' });
    const v = 'not measured: the containers could not write';
    expect(judgeOne(c, [env({ kind: 'docker', facts: { 'docker.image.readOnly': v } })])).toMatchObject({
      verdict: 'not-measured', measured: { value: v }, note: { code: 'fact-unclear', args: { fact: v } },
    });
  });

  const cached = claim({
    kind: 'docker', check: 'holds', fact: 'docker.build.onlyChangedRebuilt',
    shownWhen: { pattern: 'from cache: [1-9]', means: { en: 'a rebuild that took steps from the cache', ko: 'k' } },
  });
  const holding = (v: string) => judgeOne(cached, [env({ kind: 'docker', facts: { 'docker.build.onlyChangedRebuilt': v } })]);

  it('a "no" refutes even where a "yes" would need evidence of a kind', () => {
    expect(holding('no: every step rebuilt')).toMatchObject({ verdict: 'refuted', measured: { value: false } });
  });

  it('a "yes" without the evidence the claim needs is not shown, saying what it needed and what was seen', () => {
    const v = holding('yes: steps from cache: 0 of 5');
    expect(v).toMatchObject({ verdict: 'not-shown', measured: { value: true }, note: { code: 'holds-not-shown', args: { evidence: 'steps from cache: 0 of 5' } } });
    expect(v.why).toContain('a rebuild that took steps from the cache');
    expect(v.why).toContain('steps from cache: 0 of 5');
  });

  it('a range the document measured on something unlike is shown, not judged, naming both sides', () => {
    const c = claim({ kind: 'docker', check: 'range', metric: 'layers.a.bytes', range: [200e6, 250e6], doc: { what: 'image.size', how: 'docker-images', on: 'ubuntu-django-layers' } });
    const v = judgeOne(c, [env({ kind: 'docker', name: 'd', facts: { subject: 'debootstrap-image' }, metrics: { 'layers.a.bytes': one(900e6, 'bytes') } })]);
    expect(v).toMatchObject({ verdict: 'unlike', measured: { value: 900e6, unit: 'bytes' }, note: { code: 'unlike-on', args: { env: 'd', docOn: 'ubuntu-django-layers', on: 'debootstrap-image' } } });
    expect(v.why).toBe('unlike: the document measured image.size on ubuntu-django-layers; d is debootstrap-image: shown, not judged');
  });

  it('a number taken another way than the document\'s, with no metric taken its way, is shown, not judged', () => {
    const c = claim({ check: 'range', metric: 'disk.allocated.bytes', range: [10e6, 50e6], doc: { what: 'disk.used', how: 'df-used', on: 'a-venv' } });
    const v = judgeOne(c, [env({ facts: { subject: 'venv' }, metrics: { 'disk.allocated.bytes': one(30e6, 'bytes') } })]);
    expect(v).toMatchObject({ verdict: 'unlike', note: { code: 'unlike-how', args: { metric: 'disk.allocated.bytes', docHow: 'df-used', how: 'du-sh' } } });
  });

  it('a like number is judged and carries its basis', () => {
    const c = claim({ check: 'range', metric: 'disk.allocated.bytes', range: [10e6, 50e6], doc: { what: 'disk.used', how: 'du-sh', on: 'a-venv' } });
    const v = judgeOne(c, [env({ facts: { subject: 'venv' }, metrics: { 'disk.allocated.bytes': one(30e6, 'bytes') } })]);
    expect(v).toMatchObject({ verdict: 'confirmed', basis: { what: 'disk.used', docHow: 'du-sh', how: 'du-sh', docOn: 'a-venv', on: 'venv' } });
  });
});

describe('times taken under emulation (TCG) are shown, not judged', () => {
  it('a point: shows the number and names the environment, metric and accelerator', () => {
    const c = claim({ kind: 'vm', check: 'point', metric: 'instance.up.ms', value: 45000, tolerance: 0.25 });
    const v = judgeOne(c, [tcgVm({ metrics: { 'instance.up.ms': one(300000) } })]);
    expect(v).toMatchObject({
      verdict: 'info', measured: { value: 300000, unit: 'ms' }, note: { code: 'emulated', args: { env: 'vm-t', accel: 'TCG', metric: 'instance.up.ms' } },
    });
    expect(v.why).toContain('vm-t');
    expect(v.why).toContain('instance.up.ms');
    expect(v.why).toContain('TCG');
  });

  it('a less-than of two times: shows the claim\'s number and names it', () => {
    const c = claim({ kind: 'vm', check: 'less-than', metric: 'import.warm.ms', than: 'import.first.ms' });
    const v = judgeOne(c, [tcgVm({ metrics: { 'import.warm.ms': one(900), 'import.first.ms': one(3000) } })]);
    expect(v).toMatchObject({ verdict: 'info', measured: { value: 900, unit: 'ms' }, note: { code: 'emulated', args: { metric: 'import.warm.ms' } } });
  });

  it('a rank: shows the ranks the numbers give', () => {
    const c = claim({ check: 'rank', rank: 1, by: [{ venv: 'ready.python.ms', docker: 'ready.python.ms', vm: 'ready.python.ms' }] });
    const envs = [
      env({ name: 'v', metrics: { 'ready.python.ms': ci(18, 22) } }),
      env({ kind: 'docker', name: 'd', metrics: { 'ready.python.ms': ci(380, 420) } }),
      tcgVm({ metrics: { 'ready.python.ms': ci(80000, 90000) } }),
    ];
    expect(judgeOne(c, envs)).toMatchObject({ verdict: 'info', measured: { value: 'rank 1* of 3' }, note: { code: 'rank-emulated', args: { env: 'vm-t', accel: 'TCG' } } });
  });

  it('a rank of several quantities: a measure an emulator inflates is marked and left out, the others judged', () => {
    const host = { venv: 'python.maxrss.bytes', docker: 'memory.processes.bytes', vm: 'memory.qemuRss.bytes' };
    const disk = { venv: 'disk.allocated.bytes', docker: 'image.bytes', vm: 'disk.actual.bytes' };
    const c = claim({ check: 'rank', rank: 1, by: [host, disk] });
    const envs = [
      env({ name: 'v', metrics: { 'python.maxrss.bytes': one(900e6, 'bytes'), 'disk.allocated.bytes': one(20e6, 'bytes') } }),
      env({ kind: 'docker', name: 'd', metrics: { 'memory.processes.bytes': one(30e6, 'bytes'), 'image.bytes': one(200e6, 'bytes') } }),
      tcgVm({ metrics: { 'memory.qemuRss.bytes': one(600e6, 'bytes'), 'disk.actual.bytes': one(800e6, 'bytes') } }),
    ];
    // Docker's host memory lies clearly below venv's: that refutes venv's rank 1 whatever QEMU's RSS (the emulator's cache) is.
    const v = judgeOne(c, envs);
    expect(v).toMatchObject({ verdict: 'refuted', measured: { value: 'rank 2–3*/1 of 3' } });
    // With the VM's figure the only one above, the shaped row counts for nothing: venv leads the rest, and disk confirms.
    const lighter = envs.map((e) => (e.name === 'v' ? { ...e, metrics: { ...e.metrics, 'python.maxrss.bytes': one(10e6, 'bytes') } } : e));
    expect(judgeOne(c, lighter)).toMatchObject({ verdict: 'confirmed', measured: { value: 'rank 1*/1 of 3' } });
    // A tie among the rows no emulator shaped is a tie.
    const tied = envs.map((e) => (e.name === 'v' ? { ...e, metrics: { ...e.metrics, 'python.maxrss.bytes': one(40e6, 'bytes') } } : e));
    expect(judgeOne(c, tied)).toMatchObject({ verdict: 'inconclusive' });
    expect(v.why).toMatch(/^memory\.host: .*\(\*: under emulation, not judged\); disk\.host: venv /);
  });

  it('a ratio over a VM under TCG needs KVM, naming that VM and its accelerator', () => {
    const c = claim({ kind: 'docker', check: 'ratio', metric: 'import.warm.ms', over: 'vm', above: 0.5 });
    const v = judgeOne(c, [env({ kind: 'docker', name: 'd', metrics: { 'import.warm.ms': one(100) } }), tcgVm({ metrics: { 'import.warm.ms': one(1500) } })]);
    expect(v).toMatchObject({ verdict: 'info', note: { code: 'needs-kvm', args: { env: 'vm-t', accel: 'TCG' } } });
    expect(v.why).toContain('KVM');
    expect(v.why).toContain('vm-t');
  });
});

describe('the span a verdict rests on', () => {
  it('one sample is a single value, and a verdict on it claims no span', () => {
    const m = few(1, 150, 150);
    expect(spanOf(m)).toEqual({ lo: 150, hi: 150, basis: 'single', n: 1 });
    expect(judgeMetric(m, 100, 200, 'range')).toEqual({ verdict: 'confirmed' });
  });

  it('two samples are judged on both: one below the band makes the verdict inconclusive', () => {
    const m = few(2, 90, 110);
    expect(spanOf(m)).toEqual({ lo: 90, hi: 110, basis: 'samples', n: 2 });
    expect(judgeMetric(m, 100, 200, 'range').verdict).toBe('inconclusive');
  });

  it('a 95% CI is used over the spread of the samples, and the verdict says so', () => {
    const v = judgeMetric(ci(120, 180, { min: 60, max: 260 }), 100, 200, 'range');
    expect(v.verdict).toBe('confirmed');
    expect(v.why).toMatch(/95% CI \(120–180, n=10\)/);
  });

  it('prints bounds of a thousand or more as whole numbers', () => {
    const v = judgeMetric(ci(1100, 1900), 1000, 1500, 'range');
    expect(v.verdict).toBe('inconclusive');
    expect(v.why).toContain('1100–1900');
    expect(v.why).toContain('(1500)');
  });
});

describe('a number against its band', () => {
  it('a single value on either edge of the band is confirmed: the band holds its bounds', () => {
    expect(judgeNumber(100, 100, 200)).toEqual({ verdict: 'confirmed' });
    expect(judgeNumber(200, 100, 200)).toEqual({ verdict: 'confirmed' });
  });

  it('a span reaching the lower edge from below is inconclusive, naming that edge and the span', () => {
    expect(judgeMetric(ci(80, 100), 100, 200, 'range')).toMatchObject({
      verdict: 'inconclusive', note: { code: 'crosses-bound', args: { basis: 'ci', lo: 80, hi: 100, n: 10, unit: 'ms', bound: 100 } },
    });
  });

  it('a span reaching the upper edge from above is inconclusive, naming the upper edge', () => {
    expect(judgeMetric(ci(200, 250), 100, 200, 'range')).toMatchObject({ verdict: 'inconclusive', note: { args: { bound: 200 } } });
  });

  it('a span from the lower edge past the upper names the upper edge it crosses', () => {
    expect(judgeMetric(ci(100, 250), 100, 200, 'range')).toMatchObject({ verdict: 'inconclusive', note: { args: { bound: 200 } } });
  });

  it('below the band, the span end nearest the band decides: across the 2× line it is inconclusive', () => {
    // The median 45 is 100/45 = 2.2× below, but the span reaches 60, within 2× of 100.
    const v = judgeMetric(ci(40, 60, { value: 45 }), 100, 200, 'range');
    expect(v).toMatchObject({ verdict: 'inconclusive', note: { code: 'crosses-2x', args: { basis: 'ci', lo: 40, hi: 60, n: 10, unit: 'ms' } } });
    expect(v.factor).toBeCloseTo(100 / 45);
  });

  it('a negative number has no factor to the band: off', () => {
    expect(judgeNumber(-5, 10, 20)).toEqual({ verdict: 'off' });
  });

  it('gives no factor too large to be a number (results.json could not hold it)', () => {
    expect(judgeNumber(Number.MIN_VALUE, 1, 2)).toEqual({ verdict: 'off' });
  });

  it('a zero against a point is off, with no factor', () => {
    expect(judgePoint(0, 10, 0.25)).toEqual({ verdict: 'off' });
  });
});

describe('a less-than', () => {
  const lt = claim({ kind: 'docker', check: 'less-than', metric: 'layers.diskUsed.bytes', than: 'layers.sum.bytes' });
  const judged = (a: MetricResult, b: MetricResult) => judgeOne(lt, [env({ kind: 'docker', metrics: { 'layers.diskUsed.bytes': a, 'layers.sum.bytes': b } })]);

  it('is refuted by two equal numbers: equal is not lower', () => {
    const v = judged(one(457e6, 'bytes'), one(457e6, 'bytes'));
    expect(v.verdict).toBe('refuted');
    expect(v.why).toMatch(/: not lower$/);
  });

  it('says both numbers and that the first is lower', () => {
    expect(judged(one(230e6, 'bytes'), one(457e6, 'bytes'))).toMatchObject({
      verdict: 'confirmed', why: 'layers.diskUsed.bytes 230000000 vs layers.sum.bytes 457000000: lower',
    });
  });

  it('is inconclusive when the spans overlap, and says so', () => {
    const v = judged(ci(100, 300, { unit: 'bytes' }), ci(200, 400, { unit: 'bytes' }));
    expect(v).toMatchObject({ verdict: 'inconclusive', note: { code: 'spans-overlap', args: {} } });
    expect(v.why).toMatch(/spans overlap/);
  });
});

describe('clearly below', () => {
  it('compares a single value with a sampled one by their spans, not by the 2× rule for two single values', () => {
    expect(clearlyBelow(one(10), ci(11, 15))).toBe(true);
    expect(clearlyBelow(ci(10, 15), one(16))).toBe(true);
  });

  it('spans that touch are not clearly apart', () => {
    expect(clearlyBelow(ci(10, 20), ci(20, 30))).toBe(false);
  });
});

describe('a rank among the kinds', () => {
  const rank = (kind: 'venv' | 'docker' | 'vm', r: number, by: Record<string, string>[]) => claim({ kind, check: 'rank', rank: r, by });
  const ready = { vm: 'ready.python.ms', docker: 'ready.python.ms', venv: 'ready.python.ms' };
  const three = (venv: MetricResult, docker: MetricResult, vm: MetricResult, more: Record<string, MetricResult>[] = [{}, {}, {}]) => [
    env({ name: 'v', metrics: { 'ready.python.ms': venv, ...more[0] } }),
    env({ kind: 'docker', name: 'd', metrics: { 'ready.python.ms': docker, ...more[1] } }),
    env({ kind: 'vm', name: 'm', metrics: { 'ready.python.ms': vm, ...more[2] } }),
  ];
  const fv = (x: number) => formatValue(x, 'ms');

  it('lists the kinds from smallest to largest, whatever the order of the measure, and notes the rank', () => {
    const v = judgeOne(rank('venv', 1, [ready]), three(ci(18, 22), ci(380, 420), ci(8000, 10000)));
    const order = `venv ${fv(20)} < docker ${fv(400)} < vm ${fv(9000)}`;
    expect(v).toMatchObject({ verdict: 'confirmed', why: `time.ready: ${order}`, note: { code: 'rank', args: { ranks: '1', n: 3, order } } });
  });

  it('marks kinds within noise of each other as a tie, and the rank as inconclusive', () => {
    const v = judgeOne(rank('venv', 1, [ready]), three(ci(18, 30), ci(25, 40), ci(8000, 10000)));
    const order = `venv ${fv(24)} ≈ docker ${fv(32.5)} < vm ${fv(9000)}`;
    expect(v).toMatchObject({ verdict: 'inconclusive', why: `time.ready: ${order} (≈: a tie)`, note: { code: 'rank-tie', args: { order } } });
  });

  it('is refuted when one measure rules the rank out, the others confirming it; the why gives each order', () => {
    const mem = { venv: 'python.maxrss.bytes', docker: 'memory.processes.bytes', vm: 'memory.qemuRss.bytes' };
    const rss = (id: string, x: number) => ({ [id]: one(x, 'bytes') });
    const v = judgeOne(rank('venv', 1, [ready, mem]), three(ci(18, 22), ci(380, 420), ci(8000, 10000), [rss(mem.venv, 900e6), rss(mem.docker, 40e6), rss(mem.vm, 300e6)]));
    expect(v).toMatchObject({ verdict: 'refuted', measured: { value: 'rank 1/3 of 3' } });
    const fb = (x: number) => formatValue(x, 'bytes');
    const order = `venv ${fv(20)} < docker ${fv(400)} < vm ${fv(9000)}; docker ${fb(40e6)} < vm ${fb(300e6)} < venv ${fb(900e6)}`;
    expect(v.note?.args.order).toBe(order);
    expect(v.why).toBe(`time.ready: venv ${fv(20)} < docker ${fv(400)} < vm ${fv(9000)}; memory.host: docker ${fb(40e6)} < vm ${fb(300e6)} < venv ${fb(900e6)}`);
  });

  it('is refuted when the claimed rank is above every rank the kind may hold', () => {
    expect(judgeOne(rank('venv', 3, [ready]), three(ci(18, 22), ci(380, 420), ci(8000, 10000))).verdict).toBe('refuted');
  });
});

describe('a ratio between kinds', () => {
  const ratio = claim({ kind: 'vm', check: 'ratio', metric: 'import.warm.ms', over: 'venv', above: 2 });
  const judged = (vm: MetricResult, venv: MetricResult) =>
    judgeOne(ratio, [env({ name: 'v', metrics: { 'import.warm.ms': venv } }), env({ kind: 'vm', name: 'm', metrics: { 'import.warm.ms': vm } })]);

  it('exactly at the claimed factor is refuted: the claim is "above" it', () => {
    expect(judged(one(200), one(100)).verdict).toBe('refuted');
  });

  it('says the metric, both kinds with their numbers and the ratio', () => {
    expect(judged(one(200), one(100)).why).toMatch(/^import\.warm\.ms: vm 200 ÷ venv 100 = 2\.00×/);
  });

  it('is inconclusive when the ratio of the spans crosses the factor, with that span in the note', () => {
    expect(judged(ci(150, 250), one(100))).toMatchObject({ verdict: 'inconclusive', note: { code: 'ratio-spans', args: { lo: 1.5, hi: 2.5, above: 2 } } });
  });
});

describe('a span below the band that starts at zero', () => {
  it('crosses the 2× line when it reaches within 2× of the band: inconclusive, not off', () => {
    // Five samples from 0 to 60 against [100, 200]: the median 0 gives no factor, but 60 lies within 2× of 100.
    const v = judgeMetric(few(5, 0, 60, 0), 100, 200, 'range');
    expect(v).toMatchObject({ verdict: 'inconclusive', note: { code: 'crosses-2x' } });
    expect(v.factor).toBeUndefined();
  });

  it('is off, with no factor, when even its top lies beyond 2×', () => {
    const v = judgeMetric(few(5, 0, 40, 0), 100, 200, 'range');
    expect(v.verdict).toBe('off');
    expect(v.factor).toBeUndefined();
  });
});

describe('two equal single values at zero', () => {
  it('are not clearly below each other: a value is never clearly below itself', () => {
    expect(clearlyBelow(one(0, 'bytes'), one(0, 'bytes'))).toBe(false);
    expect(clearlyBelow(one(0, 'bytes'), one(5, 'bytes'))).toBe(true);
  });

  it('tie in a rank: either kind may hold either rank', () => {
    const c = claim({ check: 'rank', rank: 1, by: [{ venv: 'python.maxrss.bytes', docker: 'memory.processes.bytes' }] });
    const envs = [env({ name: 'v', metrics: { 'python.maxrss.bytes': one(0, 'bytes') } }), env({ kind: 'docker', name: 'd', metrics: { 'memory.processes.bytes': one(0, 'bytes') } })];
    expect(judgeOne(c, envs)).toMatchObject({ verdict: 'inconclusive', measured: { value: 'rank 1–2 of 2' }, note: { code: 'rank-tie' } });
  });

  it('a rank of the workload\'s own figures alone is shown, not judged', () => {
    const c = claim({ check: 'rank', rank: 1, by: [{ venv: 'python.maxrss.bytes', docker: 'python.maxrss.bytes' }] });
    const envs = [env({ name: 'v', metrics: { 'python.maxrss.bytes': one(10, 'bytes') } }), env({ kind: 'docker', name: 'd', metrics: { 'python.maxrss.bytes': one(90, 'bytes') } })];
    expect(judgeOne(c, envs)).toMatchObject({ verdict: 'info', measured: { value: 'rank 1° of 2' }, note: { code: 'rank-workload' } });
  });
});
