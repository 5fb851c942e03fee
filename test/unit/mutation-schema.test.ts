// What the claims schema accepts and how it reports what it rejects, pinned where the mutation run (npm run mutate) found gaps.
import { describe, expect, it } from 'vitest';
import { parseClaims } from '../../src/claims/load.js';
import { claimsFileSchema } from '../../src/claims/schema.js';

const yaml = (...claims: string[]) => `document: d\nclaims:\n${claims.map((c) => `  - ${c}\n`).join('')}`;
const claim = (extra: string, id = 'a', kind = 'venv') => `{ id: ${id}, kind: ${kind}, where: w, says: { ko: k, en: e }, ${extra} }`;
const isolation = (id: string) => claim('check: isolation, probe: kernel, isolated: false', id);
const errorOf = (text: string): string => {
  try {
    parseClaims(text, 'x.yaml');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the claims were accepted');
};

describe('claim ids', () => {
  it('are lowercase words joined by . or -', () => {
    expect(parseClaims(yaml(isolation('venv.table-1.port'))).map((c) => c.id)).toEqual(['venv.table-1.port']);
  });

  it('are rejected with an upper-case letter, a stray character at either end or two separators in a row, saying the rule', () => {
    for (const id of ['Venv.port', 'venv.port_', '_venv.port', 'venv..port']) {
      expect(errorOf(yaml(isolation(id))), id).toContain('  claims.0.id: lowercase words joined by . or -');
    }
  });
});

describe('the claims file', () => {
  it('reports a duplicate id as a custom issue at the second claim\'s id', () => {
    const parsed = claimsFileSchema.safeParse({ document: 'd', claims: [0, 1].map(() => ({ id: 'a', kind: 'venv', where: 'w', says: { ko: 'k', en: 'e' }, check: 'isolation', probe: 'kernel', isolated: false })) });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues).toEqual([{ code: 'custom', message: 'duplicate claim id "a"', path: ['claims', 1, 'id'] }]);
  });

  it('reports a metric of another kind at that claim\'s metric or than, as a custom issue', () => {
    expect(errorOf(yaml(isolation('a'), claim('doc: { what: image.size, how: unstated, on: python-image }, check: point, metric: image.bytes, value: 1', 'b')))).toContain('  claims.1.metric: image.bytes is not measured for venv');
    expect(errorOf(yaml(claim('doc: { what: time.activate, how: unstated, on: a-venv }, check: less-than, metric: activate.ms, than: run.cli.ms')))).toContain('  claims.0.than: run.cli.ms is not measured for venv');
    const parsed = claimsFileSchema.safeParse({ document: 'd', claims: [{ id: 'a', kind: 'vm', where: 'w', says: { ko: 'k', en: 'e' }, check: 'point', metric: 'activate.ms', value: 1, doc: { what: 'time.activate', how: 'unstated', on: 'a-vm' } }] });
    expect(parsed.error!.issues).toEqual([{ code: 'custom', message: 'activate.ms is not measured for vm', path: ['claims', 0, 'metric'] }]);
  });
});

describe('like with like, by construction', () => {
  const issues = (extra: string, kind = 'venv') => errorOf(yaml(claim(extra, 'a', kind)));
  it('refuses a number without the document\'s measurement (what, how, on what)', () => {
    expect(issues('check: point, metric: activate.ms, value: 10')).toContain('  claims.0.doc: Invalid input');
  });

  it('refuses a metric of another quantity than the document\'s', () => {
    expect(issues('doc: { what: disk.used, how: unstated, on: a-venv }, check: point, metric: activate.ms, value: 10')).toContain('activate.ms on venv is not disk.used');
  });

  it('refuses a metric taken another way when one taken the document\'s way exists, naming it', () => {
    expect(issues('doc: { what: time.ready, how: time-docker-run, on: container-on-macos }, check: range, metric: ready.python.ms, range: [1000, 3000]', 'docker')).toContain(
      "ready.python.ms is taken by engine-api; run.cli.ms is taken the document's way (time-docker-run): judge it",
    );
    expect(parseClaims(yaml(claim('doc: { what: time.ready, how: time-docker-run, on: container-on-macos }, check: range, metric: run.cli.ms, range: [1000, 3000]', 'a', 'docker')))).toHaveLength(1);
  });

  it('refuses a less-than across two quantities and a rank measure that mixes them', () => {
    expect(issues('doc: { what: disk.layersStored, how: unstated, on: a-layer-pair }, check: less-than, metric: layers.diskUsed.bytes, than: image.bytes', 'docker')).toContain('image.bytes is not disk.layersStored');
    expect(issues('doc: { on: the-kinds }, check: rank, rank: 1, by: [{ venv: python.maxrss.bytes, docker: image.bytes, vm: disk.actual.bytes }]')).toContain('rank measure 1 mixes quantities');
  });
});

describe('range and point claims', () => {
  it('need a range whose low end is below its high end', () => {
    expect(parseClaims(yaml(claim('doc: { what: time.activate, how: unstated, on: a-venv }, check: range, metric: activate.ms, range: [0, 5]')))[0]).toMatchObject({ range: [0, 5] });
    expect(errorOf(yaml(claim('doc: { what: time.activate, how: unstated, on: a-venv }, check: range, metric: activate.ms, range: [5, 5]')))).toContain('  claims.0.range: lo must be below hi');
    expect(errorOf(yaml(claim('doc: { what: time.activate, how: unstated, on: a-venv }, check: range, metric: activate.ms, range: [9, 5]')))).toContain('  claims.0.range: lo must be below hi');
  });

  it('take a relative tolerance up to 100%, not more', () => {
    expect(parseClaims(yaml(claim('doc: { what: time.activate, how: unstated, on: a-venv }, check: point, metric: activate.ms, value: 10, tolerance: 0.1')))[0]).toMatchObject({ tolerance: 0.1 });
    expect(parseClaims(yaml(claim('doc: { what: time.activate, how: unstated, on: a-venv }, check: point, metric: activate.ms, value: 10, tolerance: 1')))[0]).toMatchObject({ tolerance: 1 });
    expect(errorOf(yaml(claim('doc: { what: time.activate, how: unstated, on: a-venv }, check: point, metric: activate.ms, value: 10, tolerance: 1.5')))).toMatch(/claims\.0\.tolerance/);
  });
});
