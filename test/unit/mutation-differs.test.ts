// What a "can differ" claim's verdict says, pinned where the mutation run (npm run mutate) found gaps.
import { enReader } from '../../src/report/i18n/en-reader.js';
import { koReader } from '../../src/report/i18n/ko-reader.js';
import { describe, expect, it } from 'vitest';
import { judgeDiffers } from '../../src/claims/differs.js';
import type { Claim } from '../../src/claims/schema.js';
import type { EnvResult, ProbeResult } from '../../src/results/schema.js';

type DiffersClaim = Extract<Claim, { check: 'differs' }>;
const claim = (probe: DiffersClaim['probe'], kind: DiffersClaim['kind'] = 'docker'): DiffersClaim =>
  ({ id: `${kind}.x.${probe}`, kind, where: 'w', says: { en: 'e', ko: 'k' }, check: 'differs', probe }) as DiffersClaim;
const probe = (id: ProbeResult['id'], evidence: Record<string, unknown>): ProbeResult => ({ id, isolated: null, summary: `${id} seen`, evidence });
const env = (name: string, probes: ProbeResult[], over: Partial<EnvResult> = {}): EnvResult => ({
  kind: 'docker', name, label: name, status: 'completed', steps: [], metrics: {}, probes, notes: [], facts: {}, ...over,
});
const py = (inside: unknown, host?: unknown) => probe('python-version', host === undefined ? { inside } : { inside, host });

describe('judgeDiffers', () => {
  it('is not measured, naming the kind and the probe, when no environment of the kind saw a value', () => {
    const expected = {
      verdict: 'not-measured',
      why: 'no docker environment recorded what the python-version probe saw',
      note: { code: 'probe-undetermined', args: { probe: 'python-version' } },
    };
    expect(judgeDiffers(claim('python-version'), [])).toEqual(expected);
    expect(judgeDiffers(claim('python-version'), [env('vm-a', [py('3.9.2', '3.11.2')], { kind: 'vm' })])).toEqual(expected);
  });

  it('does not count a probe that recorded no value inside, even where the host has one', () => {
    const j = judgeDiffers(claim('python-version'), [env('docker-a', [py('  ', '3.11.2')]), env('docker-b', [probe('python-version', { host: '3.11.2' })])]);
    expect(j.verdict).toBe('not-measured');
  });

  it('ignores environments that did not complete', () => {
    const envs = [env('docker-a', [py('3.11.2', '3.11.2')]), env('docker-b', [py('3.9.2', '3.11.2')], { status: 'errored' })];
    const j = judgeDiffers(claim('python-version'), envs);
    expect(j).toMatchObject({ verdict: 'not-shown', env: 'docker-a', measured: { value: '3.11.2' } });
  });

  it('is confirmed by a value the host has none of, naming every host value', () => {
    const host = { python3: '3.11.7 (/usr/local/bin/python3)', 'python3.11': '3.11.2 (/usr/bin/python3.11)' };
    const j = judgeDiffers(claim('python-version'), [env('docker-bullseye', [py('3.9.2', host)])]);
    expect(j).toEqual({
      env: 'docker-bullseye',
      measured: { value: '3.9.2' },
      verdict: 'confirmed',
      why: 'docker-bullseye has 3.9.2; the host, at the same time, has 3.11.7, 3.11.2',
      note: { code: 'differs-host', args: { env: 'docker-bullseye', value: '3.9.2', host: '3.11.7, 3.11.2' } },
    });
  });

  it('does not compare with the host when the host recorded no value', () => {
    const j = judgeDiffers(claim('kernel', 'vm'), [env('vm-a', [probe('kernel', { inside: '6.1.0-50-amd64' })], { kind: 'vm' })]);
    expect(j.verdict).toBe('not-shown');
    expect(j.measured).toEqual({ value: '6.1.0-50-amd64' });
  });

  it('is confirmed by two instances that differ, giving both values and where each was seen', () => {
    const envs = [env('docker-requests', [py('3.11.2', { python3: '3.11.7', 'python3.11': '3.11.2' })]), env('docker-pyenv', [py('3.11.7', { python3: '3.11.7', 'python3.11': '3.11.2' })])];
    const j = judgeDiffers(claim('python-version'), envs);
    expect(j).toEqual({
      env: 'docker-requests',
      measured: { value: '3.11.2 / 3.11.7' },
      verdict: 'confirmed',
      why: 'docker-requests has 3.11.2; docker-pyenv has 3.11.7',
      note: { code: 'differs-pair', args: { a: 'docker-requests', av: '3.11.2', b: 'docker-pyenv', bv: '3.11.7' } },
    });
  });

  it('is not shown when every instance had a value the host has too, naming each instance once and each host value once', () => {
    const os = 'Debian GNU/Linux 12 (bookworm)';
    const envs = [env('docker-a', [probe('os-release', { inside: os, host: os })]), env('docker-b', [probe('os-release', { inside: os, host: os })])];
    const j = judgeDiffers(claim('os-release'), envs);
    expect(j).toEqual({
      env: 'docker-a',
      measured: { value: os },
      verdict: 'not-shown',
      why: `not shown here: every docker environment (docker-a, docker-b) had ${os}, which the host has too (${os})`,
      note: { code: 'same', args: { envs: 'docker-a, docker-b', value: os, host: os } },
    });
  });
  it('with no host value recorded, says so instead of an empty "the host has too ()"', () => {
    const os = 'Debian GNU/Linux 12 (bookworm)';
    const j = judgeDiffers(claim('os-release'), [env('docker-a', [probe('os-release', { inside: os })]), env('docker-b', [probe('os-release', { inside: os })])]);
    expect(j.verdict).toBe('not-shown');
    expect(j.why).toBe(`not shown here: every docker environment (docker-a, docker-b) had ${os}, and the probe recorded nothing of the host`);
    expect(j.note).toEqual({ code: 'same', args: { envs: 'docker-a, docker-b', value: os, host: '' } });
    expect(enReader.note('same', j.note!.args)).toBe(`every instance here (docker-a, docker-b) had ${os}, and the probe recorded nothing of the host; no two instances differed`);
    expect(koReader.note('same', j.note!.args)).toBe(`이번 실행의 인스턴스(docker-a, docker-b)는 모두 ${os}였고, 프로브가 호스트 쪽 값은 기록하지 않았습니다. 서로 다른 두 인스턴스가 없었습니다`);
    expect(enReader.note('same', { envs: 'a', value: 'v', host: 'v' })).toContain('which the host has too (v)');
  });
});
