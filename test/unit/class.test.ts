// Pure parts of the live classroom: class code, rate limit, submissions, tallies, the page, flags, the store on disk.
import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codeMatches, CODE_PATTERN, newClassCode } from '../../src/class/code.js';
import { rateLimiter } from '../../src/class/rate-limit.js';
import { machineKey, parseSubmission, toMachine, type ClassMachine } from '../../src/class/submission.js';
import { submitUrl } from '../../src/class/client.js';
import { reachableUrls } from '../../src/class/server.js';
import { machineFolder } from '../../src/class/export.js';
import { openClassStore } from '../../src/class/store.js';
import { classTarget } from '../../src/commands/run.js';
import { majority, tallyClaim, verdictsOf } from '../../src/report/class-tally.js';
import { clip, machineLabels, renderClassPage, renderClassPageSafely, asProjection } from '../../src/report/class-page.js';
import { jsonDepth, RESULT_LIMITS, runResultsSchema } from '../../src/results/schema.js';
import { loadClaims } from '../../src/claims/load.js';
import { PACKAGE_ROOT } from '../../src/lifecycle/paths.js';
import type { ClaimVerdict, RunResults } from '../../src/results/schema.js';

const sample = (hostname = 'pc-1'): RunResults => {
  const r = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'results', 'sample.json'), 'utf8')) as RunResults;
  r.host.hostname = hostname;
  return r;
};
const machine = (id: string, hostname: string, state: ClassMachine['state'] = 'done'): ClassMachine =>
  toMachine({ machineId: id, state, results: sample(hostname) }, new Date('2026-11-29T10:00:00Z'), loadClaims());

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'isobench-unit-class-'));
  temps.push(d);
  return d;
};

describe('class code', () => {
  it('is six characters that cannot be misread, matched case-insensitively and only in full', () => {
    const codes = Array.from({ length: 200 }, newClassCode);
    for (const c of codes) expect(c).toMatch(CODE_PATTERN);
    expect(codes.join('')).not.toMatch(/[01OIL]/);
    expect(new Set(codes).size).toBeGreaterThan(190);
    expect(codeMatches(' ab3def ', 'AB3DEF')).toBe(true);
    expect(codeMatches('AB3DE', 'AB3DEF')).toBe(false);
    expect(codeMatches('AB3DEG', 'AB3DEF')).toBe(false);
  });
});

describe('rate limit', () => {
  it('lets a burst through, then answers with a wait, refills with time, and keeps clients apart', () => {
    let now = 0;
    const limit = rateLimiter({ burst: 3, perSecond: 2 }, () => now);
    expect([1, 2, 3].map(() => limit.take('a').ok)).toEqual([true, true, true]);
    expect(limit.take('a')).toEqual({ ok: false, retryAfterSec: 1 });
    expect(limit.take('b').ok).toBe(true);
    now = 500;
    expect(limit.take('a').ok).toBe(true);
    expect(limit.take('a').ok).toBe(false);
  });

  it('forgets the oldest clients beyond its bound', () => {
    const limit = rateLimiter({ burst: 1, perSecond: 0.001 }, () => 0, 2);
    expect(limit.take('a').ok).toBe(true);
    expect(limit.take('a').ok).toBe(false);
    limit.take('b');
    limit.take('c');
    expect(limit.take('a').ok).toBe(true);
  });
});

describe('submissions', () => {
  it('accept a recorded results file and name the first bad field otherwise', () => {
    expect(parseSubmission({ machineId: 'abcdefghijklmnop', state: 'running', step: 'venv: install', results: sample() }).ok).toBe(true);
    expect(parseSubmission({ machineId: 'short', state: 'done', results: sample() })).toEqual({ ok: false, error: expect.stringMatching(/^machineId: /) });
    expect(parseSubmission({ machineId: 'abcdefghijklmnop', state: 'done', results: { ...sample(), host: {} } })).toEqual({ ok: false, error: expect.stringMatching(/^results\.host\.hostname: .*\(\+\d+ more\)$/) });
    expect(parseSubmission({ machineId: 'abcdefghijklmnop', state: 'finished', results: sample() }).ok).toBe(false);
    expect(parseSubmission([]).ok).toBe(false);
    // A student whose isobench writes an older schema (v2, its own verdicts) is upgraded, not refused.
    const v2 = { ...sample(), schemaVersion: 2 };
    const older = parseSubmission({ machineId: 'abcdefghijklmnop', state: 'done', results: v2 });
    expect(older.ok && older.value.results.schemaVersion).toBe(4);
  });

  it('are keyed by a hash of the machine id, never by the name', () => {
    expect(machineKey('abcdefghijklmnop')).toMatch(/^[0-9a-f]{32}$/);
    expect(machine('abcdefghijklmnop', 'x').key).toBe(machineKey('abcdefghijklmnop'));
    expect(machine('abcdefghijklmnoq', 'x').key).not.toBe(machine('abcdefghijklmnop', 'x').key);
  });
});

describe('class tally', () => {
  const v = (claimId: string, verdict: ClaimVerdict['verdict']): ClaimVerdict => ({ claimId, kind: 'docker', verdict });
  it('counts each machine once, a missing verdict as not measured, and colours by the most common measured agreement', () => {
    const t = tallyClaim('docker.table.start', [[v('docker.table.start', 'confirmed')], [v('docker.table.start', 'off')], [v('docker.table.start', 'off')], [], [v('docker.table.start', 'within-2x')]]);
    expect(t).toEqual({ agree: 1, close: 1, disagree: 2, inconclusive: 0, unknown: 1 });
    expect(majority(t)).toBe('disagree');
    expect(majority({ agree: 0, close: 0, disagree: 0, inconclusive: 0, unknown: 4 })).toBe('unknown');
  });
});

describe('class page', () => {
  it('escapes every name, tells machines with one name apart, and tallies each cell', () => {
    const ms = [machine('aaaaaaaaaaaaaaaa', '<script>x</script>'), machine('bbbbbbbbbbbbbbbb', 'lab'), machine('cccccccccccccccc', 'lab', 'running')];
    const labels = machineLabels(ms);
    expect([labels.get(ms[1]!.key), labels.get(ms[2]!.key)]).toEqual(['lab #1', 'lab #2']);
    const html = renderClassPage(ms, { lang: 'en', claims: loadClaims(), joinCommand: 'npm run isobench -- run --submit http://h:1 --code ABCDEF', modeLinks: true });
    expect(html).not.toContain('<script>x</script>');
    expect(html).toContain('&#60;script&#62;x&#60;/script&#62;');
    expect(html).toContain('held on 3 of 3');
    expect(html).toContain('--code ABCDEF');
    expect(html.match(/<circle class="dot dot-venv"/g)).toHaveLength(4 * 3); // four headline charts (start, disk, workload memory, host memory), three machines
    expect(html).not.toContain('<script');
    expect(asProjection(html)).toMatch(/^<!doctype html>\n<html class="projection" lang="en">/);
  });

  it('says it is waiting while no machine has sent anything, in Korean too', () => {
    expect(renderClassPage([], { lang: 'ko', claims: loadClaims() })).toContain('아직 결과를 보낸 컴퓨터가 없습니다');
  });
});

describe('bounds of a submission', () => {
  it('the results schema limits every text that reaches the page, the number of environments, claims and probes, and nesting', () => {
    const ok = (r: RunResults) => runResultsSchema.safeParse(r).success;
    expect(ok(sample())).toBe(true);
    expect(ok(sample('h'.repeat(RESULT_LIMITS.hostname)))).toBe(true);
    expect(ok(sample('h'.repeat(RESULT_LIMITS.hostname + 1)))).toBe(false);
    const r = sample();
    expect(ok({ ...r, environments: Array(RESULT_LIMITS.environments + 1).fill(r.environments[0]) })).toBe(false);
    expect(ok({ ...r, claims: Array(RESULT_LIMITS.claims + 1).fill({ claimId: 'x', kind: 'venv', verdict: 'confirmed' }) })).toBe(false);
    expect(ok({ ...r, environments: [{ ...r.environments[0]!, label: 'l'.repeat(RESULT_LIMITS.label + 1) }] })).toBe(false);
    expect(ok({ ...r, environments: [{ ...r.environments[0]!, probes: Array(RESULT_LIMITS.probes + 1).fill(r.environments[0]!.probes[0]) }] })).toBe(false);
    const nest = (n: number): unknown => (n === 0 ? 1 : { d: nest(n - 1) });
    const withEvidence = (depth: number) => ({ ...r, environments: [{ ...r.environments[0]!, probes: [{ ...r.environments[0]!.probes[0]!, evidence: { e: nest(depth - 1) } }] }] });
    expect(ok(withEvidence(RESULT_LIMITS.evidenceDepth))).toBe(true);
    expect(ok(withEvidence(RESULT_LIMITS.evidenceDepth + 1))).toBe(false);
  });

  it('json depth is counted without recursion and stops early', () => {
    expect([jsonDepth(1), jsonDepth([]), jsonDepth({ a: [1, { b: 2 }] })]).toEqual([0, 1, 3]);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(jsonDepth(deep, 8)).toBe(9);
  });

  it("the page grows by a bounded amount per machine, whatever the machine's texts", () => {
    const claims = loadClaims();
    const big = machine('bbbbbbbbbbbbbbbb', 'h'.repeat(RESULT_LIMITS.hostname));
    const env = big.results.environments[0]!;
    big.results.environments = Array.from({ length: RESULT_LIMITS.environments }, (_, i) => ({ ...env, name: `e${i}`, label: 'l'.repeat(RESULT_LIMITS.label) }));
    big.results.host.cpuModel = 'c'.repeat(RESULT_LIMITS.label);
    big.step = 's'.repeat(200);
    big.state = 'running';
    const base = renderClassPage([machine('aaaaaaaaaaaaaaaa', 'pc')], { lang: 'en', claims }).length;
    const grown = renderClassPage([machine('aaaaaaaaaaaaaaaa', 'pc'), big], { lang: 'en', claims }).length;
    expect(grown - base).toBeLessThan(64 * 1024);
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('abcd', 4)).toBe('abcd');
  });
});

describe('class page, hostile machines', () => {
  it('numbers machines that print alike in the order they arrived, look-alikes past the cut and in other widths included', () => {
    const long = 'x'.repeat(60);
    const ms = [machine('aaaaaaaaaaaaaaaa', `${long}1`), machine('bbbbbbbbbbbbbbbb', 'ｌａｂ'), machine('cccccccccccccccc', `${long}2`), machine('dddddddddddddddd', 'lab')];
    const labels = [...machineLabels(ms).values()];
    expect(labels).toEqual([`${clip(long)} #1`, 'lab #1', `${clip(long)} #2`, 'lab #2']);
  });

  it('draws the others and lists a machine it cannot draw as such, naming it to the log', () => {
    const broken = machine('bbbbbbbbbbbbbbbb', 'broken');
    (broken.results as { environments: unknown }).environments = null;
    const errors: string[] = [];
    const html = renderClassPageSafely([machine('aaaaaaaaaaaaaaaa', 'fine'), broken], { lang: 'en', claims: loadClaims() }, (label, err) => errors.push(`${label}: ${(err as Error).message}`));
    expect(errors).toEqual([expect.stringMatching(/^broken: /)]);
    expect(html).toContain('could not be drawn');
    expect(html).toContain('held on 1 of 1');
    expect(html.match(/<circle class="dot dot-venv"/g)).toHaveLength(4);
  });

  it('judges verdicts from the measurements, not from what the machine says', () => {
    const claims = loadClaims();
    const r = sample();
    const forged = { ...r, environments: r.environments.map((e) => ({ ...e, status: 'errored' as const, metrics: {}, probes: [] })), claims: claims.map((c) => ({ claimId: c.id, kind: c.kind, verdict: 'confirmed' as const })) };
    expect(verdictsOf(forged, claims).filter((v) => v.verdict === 'confirmed')).toEqual([]);
  });
});

describe('flags and addresses', () => {
  it('--submit and --code go together and are checked', () => {
    expect(classTarget(undefined, undefined)).toBeUndefined();
    expect(classTarget('http://10.0.0.2:8787', 'ab3def')).toEqual({ url: 'http://10.0.0.2:8787', code: 'AB3DEF' });
    expect(() => classTarget('http://10.0.0.2:8787', undefined)).toThrow(/go together/);
    expect(() => classTarget('ftp://x', 'AB3DEF')).toThrow(/--submit: expected/);
    expect(() => classTarget('not a url', 'AB3DEF')).toThrow(/--submit: expected/);
    expect(() => classTarget('http://x:1', 'AB0DEF')).toThrow(/--code: expected/);
  });

  it('the submit endpoint is found below any form of the address', () => {
    for (const u of ['http://h:1', 'http://h:1/', 'http://h:1/api/submit']) expect(submitUrl(u)).toBe('http://h:1/api/submit');
  });

  it('a server on every address is reached at the room addresses first, then loopback', () => {
    const ifaces = {
      lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
      eth0: [{ address: '192.168.0.10', family: 'IPv4', internal: false }, { address: 'fe80::1', family: 'IPv6', internal: false }],
    } as unknown as ReturnType<typeof import('node:os').networkInterfaces>;
    expect(reachableUrls('0.0.0.0', 8787, ifaces)).toEqual(['http://192.168.0.10:8787', 'http://127.0.0.1:8787']);
    expect(reachableUrls('127.0.0.1', 8787, ifaces)).toEqual(['http://127.0.0.1:8787']);
  });

  it('export folders are safe names with a piece of the key', () => {
    expect(machineFolder(machine('aaaaaaaaaaaaaaaa', '../../etc/x y'))).toMatch(/^etc_x_y-[0-9a-f]{8}$/);
    expect(machineFolder(machine('aaaaaaaaaaaaaaaa', '...'))).toMatch(/^machine-[0-9a-f]{8}$/);
    expect(machineFolder(machine('aaaaaaaaaaaaaaaa', '--rf *'))).toMatch(/^rf_-[0-9a-f]{8}$/);
  });
});

describe('class store', () => {
  it('keeps the code and every machine across reopening; writes of one machine land in order', async () => {
    const dir = join(await tempDir(), 'state');
    const { store } = await openClassStore(dir);
    const a = machine('aaaaaaaaaaaaaaaa', 'a');
    await Promise.all([store.put({ ...a, state: 'running' }), store.put(a), store.put(machine('bbbbbbbbbbbbbbbb', 'b'))]);
    const again = await openClassStore(dir);
    expect(again.store.code).toBe(store.code);
    expect(again.store.machines().map((m) => [m.results.host.hostname, m.state]).sort()).toEqual([
      ['a', 'done'],
      ['b', 'done'],
    ]);
    expect((await readdir(join(dir, 'machines'))).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('sets an unusable machine file aside, naming it (export only names it); refuses a folder of the user and a missing class for export', async () => {
    const root = await tempDir();
    const dir = join(root, 'state');
    await openClassStore(dir);
    await writeFile(join(dir, 'machines', 'broken.json'), '{"key":');
    expect((await openClassStore(dir, 'export')).warnings).toEqual([expect.stringMatching(/broken\.json left out: .*JSON/)]);
    const { warnings } = await openClassStore(dir);
    expect(warnings).toEqual([expect.stringMatching(/machines\/broken\.json set aside in .*set-aside\/broken\.json: .*JSON/)]);
    expect(await readdir(join(dir, 'machines'))).toEqual([]);
    expect((await openClassStore(dir)).warnings).toEqual([]);
    const mine = join(root, 'mine');
    await mkdir(mine);
    await writeFile(join(mine, 'notes.txt'), 'mine');
    await expect(openClassStore(mine)).rejects.toThrow(/--state .* is not empty and was not created by isobench/);
    await expect(openClassStore(join(root, 'none'), 'export')).rejects.toThrow(/holds no class/);
  });
});

describe('class dots', () => {
  it('give one VM dot a machine (the guest its verdicts are judged on), every venv a dot', async () => {
    const { dotRows } = await import('../../src/report/class-dots.js');
    const m = (value: number) => ({ value, unit: 'ms' as const, method: 'fake' });
    const env = (kind: 'venv' | 'vm', ms: number) => ({ kind, status: 'completed', metrics: { 'ready.python.ms': m(ms) } });
    const runs = [{ label: 'pc-1', results: { environments: [env('venv', 30), env('venv', 40), env('vm', 95_000), env('vm', 27_000), env('vm', 120_000)] } }];
    const rows = dotRows('start', runs, [], 'en');
    expect(rows.find((r) => r.kind === 'venv')!.dots.map((d) => d.metric.value)).toEqual([30, 40]);
    expect(rows.find((r) => r.kind === 'vm')!.dots.map((d) => d.metric.value)).toEqual([95_000]);
  });
});
