// The CLI end to end on the venv environment: what a user runs, through the built bin.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { execa } from 'execa';
import { runResultsSchema } from '../../src/results/schema.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'isobench.js');
const isobench = (args: string[]) => execa('node', [BIN, ...args], { reject: false, timeout: 900_000 });
const made: string[] = [];
const scratch = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'isobench-test-'));
  made.push(dir);
  return dir;
};

describe('isobench CLI (venv)', () => {
  afterAll(async () => {
    for (const d of made) await rm(d, { recursive: true, force: true });
  });

  it('runs the venv benchmark and writes valid results and reports', async () => {
    const out = join(await scratch(), 'out');
    const before = new Set((await readdir(tmpdir())).filter((f) => f.startsWith('isobench-')));
    const r = await isobench(['run', '--only', 'venv', '--require', 'venv', '--samples', '2', '--out', out]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const results = runResultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
    expect(results.complete).toBe(true);
    expect(results.environments.map((e) => [e.kind, e.status])).toEqual([['venv', 'completed']]);
    const venvClaims = results.claims.filter((c) => c.kind === 'venv');
    expect(venvClaims.length).toBeGreaterThan(5);
    expect(venvClaims.filter((c) => c.verdict !== 'not-measured').length).toBeGreaterThan(5);
    const md = await readFile(join(out, 'report.md'), 'utf8');
    // The verdict is the one the measured size calls for against the band 10–50 MB (within 2×: 5–100 MB).
    const row = /\| `venv\.table\.size` \|.*\| 10–50 MB \| ([\d.]+) MB \| venv-python3 \| ([^|]+) \|$/m.exec(md);
    expect(row, md.slice(0, 400)).not.toBeNull();
    const mb = Number(row![1]);
    const expected = mb >= 10 && mb <= 50 ? '✅ confirmed' : mb >= 5 && mb <= 100 ? '≈ within 2×' : '✗ off';
    expect(row![2]!.startsWith(expected), `${mb} MB: ${row![2]}`).toBe(true);
    expect(await readFile(join(out, 'report.ko.md'), 'utf8')).toMatch(/[가-힣]/);
    // This run's own work dir is gone (other test files run their own runs beside this one, so only its run id counts).
    const after = (await readdir(tmpdir())).filter((f) => f.startsWith(`isobench-${results.runId}-`) && !before.has(f));
    expect(after).toEqual([]);
  }, 900_000);

  it('prints only the results JSON on stdout with --json; a probe port someone else holds is replaced, said in a note', async () => {
    const out = join(await scratch(), 'out');
    // Another user's server on the default probe port (a shared lab machine).
    const stranger = createServer();
    await new Promise<void>((r) => stranger.listen(18765, '127.0.0.1', r));
    const r = await isobench(['run', '--only', 'venv', '--samples', '1', '--json', '--lang', 'en', '--out', out]).finally(() => new Promise((res) => stranger.close(res)));
    expect(r.exitCode, r.stderr).toBe(0);
    const results = runResultsSchema.parse(JSON.parse(r.stdout));
    expect(results.environments[0]!.status).toBe('completed');
    const env = results.environments[0]!;
    const moved = [...results.notes, ...env.notes].find((n) => n.startsWith('probes: 127.0.0.1:18765 already in use'));
    expect(moved, [...results.notes, ...env.notes].join('\n')).toBeDefined();
    // Two instances on the port it used instead: the second was refused, as a venv shares the host's ports.
    const clash = env.probes.find((p) => p.id === 'port-clash')!;
    expect(clash, clash.summary).toMatchObject({ isolated: false });
    expect(await readdir(out)).not.toContain('report.ko.md');
  }, 900_000);

  it('exits 2 naming field and line for a bad config, creating nothing', async () => {
    const dir = await scratch();
    const cfg = join(dir, 'bench.yaml');
    await writeFile(cfg, 'packages: [requests]\n\n\nsamples: -3\n');
    const r = await isobench(['run', '--config', cfg, '--out', join(dir, 'out')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe('isobench: samples: expected a positive integer, got -3 (bench.yaml:4)');
    expect(await readdir(dir)).toEqual(['bench.yaml']);
  });

  it('exits 2 on usage errors with one line', async () => {
    const r = await isobench(['run', '--only', 'lxc']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const u = await isobench(['run', '--bogus']);
    expect(u.exitCode).toBe(2);
    expect(u.stderr).toMatch(/Unknown option '--bogus'/);
  });
});
