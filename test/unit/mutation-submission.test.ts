// What the class server accepts and refuses of a submission, and the machine entry it keeps, pinned where the
// mutation run (npm run mutate) found gaps.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadClaims } from '../../src/claims/load.js';
import { classMachineSchema, CODE_HEADER, parseSubmission, toMachine, withUpgradedResults } from '../../src/class/submission.js';
import { PACKAGE_ROOT } from '../../src/lifecycle/paths.js';
import type { RunResults } from '../../src/results/schema.js';

const sample = (): RunResults => JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'results', 'sample.json'), 'utf8')) as RunResults;
const ID = 'abcdefghijklmnop'; // 16 characters, the shortest id allowed
const now = new Date('2026-11-29T10:00:00Z');

describe('the class code header', () => {
  it('is a header name fetch can send and that Node hands the server under the same (lower-case) name', () => {
    const headers = new Headers({ [CODE_HEADER]: 'AB3DEF' });
    expect(headers.get(CODE_HEADER)).toBe('AB3DEF');
    // Node's IncomingMessage lower-cases header names; the server looks the code up by this constant.
    expect(CODE_HEADER).toBe(CODE_HEADER.toLowerCase());
    expect(CODE_HEADER).toMatch(/^[a-z0-9-]+$/);
  });
});

describe('machine ids', () => {
  const accepted = (machineId: string) => parseSubmission({ machineId, state: 'done', results: sample() }).ok;

  it('accept 16 to 64 letters, digits, _ and -', () => {
    expect(accepted('a'.repeat(16))).toBe(true);
    expect(accepted('A_b-9'.repeat(12) + 'xyzw')).toBe(true); // 64
  });

  it('refuse an id longer than 64 characters, even when its first 64 are fine', () => {
    expect(accepted('a'.repeat(65))).toBe(false);
    expect(accepted('a'.repeat(64) + '!')).toBe(false);
  });

  it('refuse an id with a bad character before 16 good ones', () => {
    expect(accepted('!' + 'a'.repeat(16))).toBe(false);
    expect(accepted('../' + 'a'.repeat(20))).toBe(false);
  });

  it('say in the error which ids are allowed, with no "more" when the id is the only problem', () => {
    const r = parseSubmission({ machineId: 'short', state: 'done', results: sample() });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBe('machineId: expected 16 to 64 letters, digits, _ or -');
  });
});

describe('submissions that are not an object', () => {
  it('are refused with the error naming the root, not a field', () => {
    for (const data of [null, 'text', 42, true, [], [{ results: sample() }]]) {
      const r = parseSubmission(data);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/^\(root\): /);
    }
  });
});

describe('withUpgradedResults', () => {
  it('returns anything that is not an object holding results as it is', () => {
    for (const data of [null, undefined, 'results', 7, [1, 2]]) expect(withUpgradedResults(data)).toBe(data);
    const noResults = { machineId: ID, state: 'done' };
    expect(withUpgradedResults(noResults)).toBe(noResults);
    expect(noResults).not.toHaveProperty('results');
  });

  it('upgrades the results of an object holding older ones, keeping the other fields', () => {
    const out = withUpgradedResults({ machineId: ID, state: 'done', results: { ...sample(), schemaVersion: 2 } }) as { machineId: string; results: RunResults };
    expect(out.machineId).toBe(ID);
    expect(out.results.schemaVersion).toBe(4);
  });
});

describe('the machine entry a submission becomes', () => {
  it('keeps the step a running machine is in, and has no step when none was sent', () => {
    const running = toMachine({ machineId: ID, state: 'running', step: 'venv: install', results: sample() }, now, loadClaims());
    expect(running.step).toBe('venv: install');
    expect(classMachineSchema.safeParse(running).success).toBe(true);
    const done = toMachine({ machineId: ID, state: 'done', results: sample() }, now, loadClaims());
    expect(done).not.toHaveProperty('step');
  });

  it('is refused from disk with a step longer than 200 characters', () => {
    const m = toMachine({ machineId: ID, state: 'running', step: 'x'.repeat(200), results: sample() }, now, loadClaims());
    expect(classMachineSchema.safeParse(m).success).toBe(true);
    expect(classMachineSchema.safeParse({ ...m, step: 'x'.repeat(201) }).success).toBe(false);
  });

  it('is refused from disk unless its key is exactly 32 lower-case hex digits', () => {
    const m = toMachine({ machineId: ID, state: 'done', results: sample() }, now, loadClaims());
    expect(classMachineSchema.safeParse(m).success).toBe(true);
    expect(classMachineSchema.safeParse({ ...m, key: m.key + '0' }).success).toBe(false);
    expect(classMachineSchema.safeParse({ ...m, key: 'g' + m.key }).success).toBe(false);
    expect(classMachineSchema.safeParse({ ...m, key: m.key.slice(1) }).success).toBe(false);
    expect(classMachineSchema.safeParse({ ...m, key: m.key.toUpperCase().replace(/[0-9]/g, 'A') }).success).toBe(false);
  });
});
