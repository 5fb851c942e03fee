// How claims files are read and rejected, pinned where the mutation run (npm run mutate) found gaps.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadClaims, parseClaims } from '../../src/claims/load.js';

const dir = mkdtempSync(join(tmpdir(), 'isobench-claims-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const one = (id: string) => `  - { id: ${id}, kind: venv, where: w, says: { ko: k, en: e }, check: isolation, probe: kernel, isolated: false }\n`;
const file = (name: string, ...ids: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, `document: d\nclaims:\n${ids.map(one).join('')}`);
  return path;
};

describe('parseClaims errors', () => {
  it('name the root when the whole document is wrong', () => {
    expect(() => parseClaims('42', 'x.yaml')).toThrow(/^invalid claims file x\.yaml:\n {2}\(root\): /);
  });

  it('put each problem on its own line', () => {
    const text = 'document: d\nclaims:\n  - { id: a, kind: venv }\n  - { id: b, kind: venv }\n';
    let message = '';
    try {
      parseClaims(text, 'x.yaml');
    } catch (e) {
      message = (e as Error).message;
    }
    const lines = message.split('\n');
    expect(lines[0]).toBe('invalid claims file x.yaml:');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {2}claims\.[01](\.|:)/);
    expect(lines.some((l) => l.startsWith('  claims.0'))).toBe(true);
    expect(lines.some((l) => l.startsWith('  claims.1'))).toBe(true);
  });
});

describe('loadClaims', () => {
  it('reads the packaged claims once: every later call gives the same claims', () => {
    const first = loadClaims();
    expect(first.length).toBeGreaterThan(50);
    expect(loadClaims()).toBe(first);
  });

  it('reads another file afresh each time, beside the packaged claims, which stay as they are', () => {
    const packaged = loadClaims();
    const path = file('a.yaml', 'x.one');
    expect(loadClaims(path).map((c) => c.id)).toEqual(['x.one']);
    file('a.yaml', 'x.one', 'x.two');
    expect(loadClaims(path).map((c) => c.id)).toEqual(['x.one', 'x.two']);
    expect(loadClaims()).toBe(packaged);
  });

  it('names the other file when it is invalid', () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'document: d\nclaims: 3\n');
    expect(() => loadClaims(path)).toThrow(`invalid claims file ${path}:`);
  });
});
