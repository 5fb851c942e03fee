// The rules of issue 18 pinned on recorded results (fixtures/results/recorded-2026-11-29.json, a real run under TCG), and on
// copies of it with rows a later run will have: containers of other Debian suites, a bullseye guest, KVM.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadClaims } from '../../src/claims/load.js';
import { clearlyBelow, judgeClaims } from '../../src/claims/verdict.js';
import { PACKAGE_ROOT } from '../../src/lifecycle/paths.js';
import { bandText, verdictText } from '../../src/report/claims-table.js';
import { cellClaimId, TABLE_ROWS } from '../../src/report/comparison-table.js';
import { tableCounts } from '../../src/report/headline.js';
import { en } from '../../src/report/i18n/en.js';
import { KINDS } from '../../src/drivers/types.js';
import { runResultsSchema, type ClaimVerdict, type EnvResult, type MetricResult, type RunResults } from '../../src/results/schema.js';
import { upgradeResults } from '../../src/results/upgrade.js';

const recorded = (): RunResults =>
  runResultsSchema.parse(upgradeResults(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'results', 'recorded-2026-11-29.json'), 'utf8'))));
const claims = loadClaims();
const judged = (r: RunResults) => new Map(judgeClaims(claims, r.environments).map((v) => [v.claimId, v]));
const verdictOf = (r: RunResults, id: string): ClaimVerdict => judged(r).get(id)!;
const envOf = (r: RunResults, name: string) => r.environments.find((e) => e.name === name)!;

/** A copy of a recorded row as another suite's: what its probes saw inside is replaced. */
function suiteRow(from: EnvResult, name: string, inside: Partial<Record<'python-version' | 'os-release' | 'kernel', string>>): EnvResult {
  const copy = structuredClone(from);
  copy.name = name;
  for (const p of copy.probes) {
    const v = inside[p.id as keyof typeof inside];
    if (v) p.evidence = { ...p.evidence, inside: v };
  }
  if (inside['python-version']) copy.facts['python.version'] = inside['python-version'];
  return copy;
}

/** The recorded run with container rows of bullseye (Python 3.9) and trixie (3.13), and a bullseye guest (kernel 5.10). */
function withOtherSuites(): RunResults {
  const r = recorded();
  const docker = envOf(r, 'docker-requests');
  const vm = envOf(r, 'vm-micro');
  r.environments.push(
    suiteRow(docker, 'docker-bullseye', { 'python-version': '3.9.2', 'os-release': 'Debian GNU/Linux 11 (bullseye)' }),
    suiteRow(docker, 'docker-trixie', { 'python-version': '3.13.5', 'os-release': 'Debian GNU/Linux 13 (trixie)' }),
    suiteRow(vm, 'vm-bullseye', { 'python-version': '3.9.2', 'os-release': 'Debian GNU/Linux 11 (bullseye)', kernel: '5.10.0-28-amd64' }),
  );
  return r;
}

/** The recorded run as if its VMs had run under KVM. */
function underKvm(): RunResults {
  const r = recorded();
  for (const e of r.environments) if (e.facts['vm.accel']) e.facts['vm.accel'] = 'KVM';
  return r;
}

describe('VM timings under TCG are shown, not judged', () => {
  const r = recorded();
  it('labels every VM time claim as emulation on the recorded run (its VMs ran under TCG)', () => {
    expect(envOf(r, 'vm-full').facts['vm.accel']).toBe('TCG');
    for (const id of ['vm.table.start', 'vm.spectrum.start', 'vm.traits.boot-minutes', 'vm.concept.boot-minutes']) {
      expect(verdictOf(r, id), id).toMatchObject({ verdict: 'info', note: { code: 'emulated', args: { accel: 'TCG' } } });
    }
    // The document's own Ubuntu VM booted in 45 s and 2 min: a minimal server guest is not like it, whatever the accelerator.
    for (const id of ['vm.example.boot-2min', 'vm.lab.boot-45s']) expect(verdictOf(r, id), id).toMatchObject({ verdict: 'unlike', note: { code: 'unlike-on' } });
    expect(verdictOf(r, 'venv.spectrum.fast-order')).toMatchObject({ verdict: 'info', note: { code: 'rank-emulated' } });
    expect(verdictOf(r, 'vm.traits.hypervisor-overhead')).toMatchObject({ verdict: 'info', measured: { value: '14.3× venv' }, note: { code: 'needs-kvm' } });
    expect(verdictOf(r, 'vm.table.start').measured).toEqual({ value: envOf(r, 'vm-full').metrics['ready.python.ms']!.value, unit: 'ms' });
    expect(verdictOf(r, 'vm.table.size')).toMatchObject({ verdict: 'unlike', note: { args: { docOn: 'ubuntu-desktop', on: 'server-guest' } } });
  });

  it('judges the same numbers under KVM as any other, the overhead ratio included', () => {
    const k = underKvm();
    expect(verdictOf(k, 'vm.table.start').verdict).toBe('within-2x');
    expect(verdictOf(k, 'vm.example.boot-2min').verdict).toBe('unlike');
    expect(verdictOf(k, 'vm.traits.hypervisor-overhead')).toMatchObject({ verdict: 'confirmed' });
    expect(verdictOf(k, 'vm.table.start').note?.code).not.toBe('emulated');
  });

  it('keeps emulated cells out of the headline: they count as not judged, and the headline says how many', () => {
    const counts = tableCounts([...judged(r).values()]);
    expect(counts.emulated).toBe(1);
    expect(tableCounts([...judged(underKvm()).values()]).emulated).toBe(0);
  });
});

describe('"can differ" claims need two instances that differed', () => {
  it('are not shown on the recorded run: every container and guest had a Python, an OS release the host has too', () => {
    const r = recorded();
    for (const id of ['docker.concept.python-version', 'docker.table.python-version', 'vm.table.python-version']) {
      expect(verdictOf(r, id), id).toMatchObject({ verdict: 'not-shown', measured: { value: '3.11.2' }, note: { code: 'same' } });
    }
    expect(verdictOf(r, 'docker.table.python-version').note!.args.host).toMatch(/3\.11\.7, 3\.11\.2/);
    for (const id of ['vm.example.os-release', 'docker.os-sharing.looks-like']) {
      expect(verdictOf(r, id), id).toMatchObject({ verdict: 'not-shown', measured: { value: 'Debian GNU/Linux 12 (bookworm)' } });
    }
  });

  it('confirm another kernel on the recorded run: the guest ran 6.1 while the host ran 6.18', () => {
    const r = recorded();
    for (const id of ['vm.concept.other-kernel', 'vm.traits.kernels-side-by-side']) {
      expect(verdictOf(r, id), id).toMatchObject({ verdict: 'confirmed', note: { code: 'differs-host', args: { value: '6.1.0-50-amd64', host: '6.18.44-fc-v782' } } });
    }
  });

  it('are confirmed by rows of other suites, whichever row comes first', () => {
    const r = withOtherSuites();
    expect(verdictOf(r, 'docker.concept.python-version')).toMatchObject({ verdict: 'confirmed', env: 'docker-bullseye', measured: { value: '3.9.2' }, note: { code: 'differs-host' } });
    expect(verdictOf(r, 'vm.table.python-version')).toMatchObject({ verdict: 'confirmed', env: 'vm-bullseye' });
    expect(verdictOf(r, 'docker.os-sharing.looks-like')).toMatchObject({ verdict: 'confirmed', env: 'docker-bullseye', measured: { value: 'Debian GNU/Linux 11 (bullseye)' } });
    // Another Debian is the claim's principle, not its Ubuntu: the row says so.
    const looks = claims.find((c) => c.id === 'docker.os-sharing.looks-like');
    expect(verdictText(verdictOf(r, 'docker.os-sharing.looks-like'), looks, r.environments, 'en', en)).toMatch(/^✅ confirmed: .* · shown as its principle, not its case: .*no Ubuntu image ran here$/);
    expect(verdictOf(r, 'vm.example.os-release')).toMatchObject({ verdict: 'confirmed', env: 'vm-bullseye' });
    r.environments.reverse();
    expect(verdictOf(r, 'docker.table.python-version')).toMatchObject({ verdict: 'confirmed', env: 'docker-trixie', measured: { value: '3.13.5' } });
  });

  it('are confirmed by two instances that differ from each other even where the host has both values', () => {
    const r = recorded();
    r.environments.push(suiteRow(envOf(r, 'docker-requests'), 'docker-pyenv', { 'python-version': '3.11.7' }));
    expect(verdictOf(r, 'docker.table.python-version')).toMatchObject({
      verdict: 'confirmed',
      note: { code: 'differs-pair', args: { a: 'docker-requests', av: '3.11.2', b: 'docker-pyenv', bv: '3.11.7' } },
    });
  });

  it('leave the venv where the document puts it: its Python is the host\'s own binary', () => {
    const r = withOtherSuites();
    expect(verdictOf(r, 'venv.limits.python-version')).toMatchObject({ verdict: 'confirmed', measured: { value: false } });
    expect(verdictOf(r, 'venv.table.python-version').verdict).toBe('confirmed');
  });

  it('"only the changed layer is rebuilt" needs a rebuild that took steps from the cache', () => {
    const r = recorded();
    expect(envOf(r, 'docker-requests').facts['docker.build.onlyChangedRebuilt']).toMatch(/steps from cache: 0 of 5$/);
    expect(verdictOf(r, 'docker.layers.only-changed')).toMatchObject({ verdict: 'not-shown', note: { code: 'holds-not-shown' } });
    const cached = recorded();
    const f = envOf(cached, 'docker-requests').facts;
    // ARG steps alone from the cache show nothing: the work before the change (a RUN) must come from it.
    f['docker.build.onlyChangedRebuilt'] = f['docker.build.onlyChangedRebuilt']!.replace('steps from cache: 0 of 5', 'steps from cache: 2 of 5 (ARG, ARG)');
    expect(verdictOf(cached, 'docker.layers.only-changed').verdict).toBe('not-shown');
    f['docker.build.onlyChangedRebuilt'] = f['docker.build.onlyChangedRebuilt']!.replace('steps from cache: 2 of 5 (ARG, ARG)', 'steps from cache: 3 of 5 (ARG, ARG, RUN)');
    expect(verdictOf(cached, 'docker.layers.only-changed').verdict).toBe('confirmed');
  });
});

describe("the headline counts the document's comparison table as printed", () => {
  it('has 11 rows and 33 cells, each cell a claim of the table in document.yaml', () => {
    expect(TABLE_ROWS).toHaveLength(11);
    const ids = new Set(claims.map((c) => c.id));
    for (const row of TABLE_ROWS) for (const k of KINDS) expect(ids.has(cellClaimId(row, k)), cellClaimId(row, k)).toBe(true);
    const table = claims.filter((c) => c.where.startsWith('비교 정리 › 구체적 비교표'));
    expect(table).toHaveLength(33);
    expect(tableCounts([...judged(recorded()).values()]).cells).toBe(33);
  });
});

const single = (value: number): MetricResult => ({ unit: 'bytes', value, method: 't' });
const sampled = (lo: number, hi: number): MetricResult => ({
  unit: 'bytes', value: (lo + hi) / 2, method: 't',
  stats: { n: 10, median: (lo + hi) / 2, mean: (lo + hi) / 2, min: lo, max: hi, mad: 1, ci95: [lo, hi], ciCoverage: 0.979, outliers: [] },
});

describe('ranks use intervals; near-equal values tie', () => {
  it('never ranks a single value against another within 2×', () => {
    expect(clearlyBelow(single(28.5e6), single(36.7e6))).toBe(false);
    expect(clearlyBelow(single(28.5e6), single(57e6))).toBe(true);
    expect(clearlyBelow(sampled(10, 20), sampled(15, 30))).toBe(false);
    expect(clearlyBelow(sampled(10, 20), sampled(21, 30))).toBe(true);
  });

  it('calls "venv is the lightest" a tie on the recorded run (host memory 28.5 MB against 36.7 MB, one value each); the workload is shown, not judged', () => {
    const r = underKvm();
    // Workload RSS (the same Python everywhere, 27–28 MB) °; host memory; disk.
    expect(verdictOf(r, 'venv.spectrum.light-order')).toMatchObject({ verdict: 'inconclusive', measured: { value: 'rank 1–3°/1–2/1 of 3' }, note: { code: 'rank-tie' } });
    expect(verdictOf(r, 'docker.spectrum.light-order').verdict).toBe('inconclusive');
    expect(verdictOf(r, 'vm.spectrum.light-order')).toMatchObject({ verdict: 'confirmed', measured: { value: 'rank 1–3°/3/3 of 3' } });
    // Under TCG, QEMU's RSS holds the emulator's translation cache: host memory is marked and left out too.
    expect(verdictOf(recorded(), 'vm.spectrum.light-order')).toMatchObject({ verdict: 'confirmed', measured: { value: 'rank 1–3°/3*/3 of 3' } });
  });
});

describe('every judged verdict prints its band; an unlike one names both sides instead', () => {
  it('states the band of each judged numeric verdict of the recorded run, and both subjects of each unlike one', () => {
    const r = recorded();
    const byId = new Map(claims.map((c) => [c.id, c]));
    const numeric = judgeClaims(claims, r.environments).filter((v) => ['range', 'point', 'rank', 'ratio'].includes(byId.get(v.claimId)!.check) && v.verdict !== 'not-measured');
    expect(numeric.length).toBeGreaterThan(30);
    const unlike = numeric.filter((v) => v.verdict === 'unlike');
    expect(unlike.length).toBeGreaterThan(0);
    for (const v of numeric) {
      const text = verdictText(v, byId.get(v.claimId), r.environments, 'en', en);
      if (v.verdict === 'unlike') expect(text, v.claimId).toMatch(/^≠ unlike: shown, not judged: the document measured .+; \S+: .+/);
      else expect(text, v.claimId).toMatch(/band: /);
    }
    expect(bandText(byId.get('vm.spectrum.size'), en)).toBe('band: 1.00 GB–10.0 GB; outside it: within 2× or off');
  });
});
