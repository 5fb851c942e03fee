import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseKinds } from '../../src/commands/kinds.js';
import { everyRow, exitCodeFor } from '../../src/commands/run.js';
import { configSchema } from '../../src/config/schema.js';
import { prepareOutDir, OUT_MARKER } from '../../src/run/output.js';
import type { RunResults } from '../../src/results/schema.js';

const env = (kind: 'venv' | 'docker' | 'vm', status: 'completed' | 'errored' | 'skipped') =>
  ({ kind, name: kind, label: kind, status, steps: [], metrics: {}, probes: [], notes: [], facts: {} }) as RunResults['environments'][number];

describe('--only / --require', () => {
  it('returns kinds in canonical order without duplicates', () => {
    expect(parseKinds('--only', 'vm, venv,venv')).toEqual(['venv', 'vm']);
  });
  it('names an unknown kind and the valid ones', () => {
    expect(() => parseKinds('--only', 'venv,lxc')).toThrow('--only: unknown environment "lxc"; choose from venv, docker, vm');
    expect(() => parseKinds('--only', ',')).toThrow(/needs a comma list/);
    expect(() => parseKinds('--only', 'all,venv')).toThrow(/or all alone: every row, Vagrant included/);
  });
  it('--only all turns on every kind and every optional row, Vagrant included', () => {
    const config = configSchema.parse({ environments: { venv: { enabled: false }, docker: { gvisor: { enabled: false } }, vm: { vagrant: { enabled: false } } } });
    everyRow(config);
    const { venv, docker, vm } = config.environments;
    expect([venv.enabled, docker.enabled, vm.enabled, docker.gvisor.enabled, docker.podman.enabled, vm.vagrant.enabled]).toEqual([true, true, true, true, true, true]);
  });
});

describe('exit code', () => {
  const results = (envs: RunResults['environments']) => ({ environments: envs }) as RunResults;
  it('is 1 when an environment errored, required or not', () => {
    expect(exitCodeFor(results([env('venv', 'errored')]), [])).toBe(1);
    expect(exitCodeFor(results([env('venv', 'completed'), env('docker', 'errored')]), ['venv'])).toBe(1);
  });
  it('is 0 when environments were only skipped for a missing prerequisite and none was required', () => {
    expect(exitCodeFor(results([env('venv', 'completed'), env('vm', 'skipped')]), [])).toBe(0);
    expect(exitCodeFor(results([env('vm', 'skipped')]), [])).toBe(0);
  });
  it('is 2 when a required kind was skipped and 1 when it failed', () => {
    expect(exitCodeFor(results([env('venv', 'skipped')]), ['venv'])).toBe(2);
    expect(exitCodeFor(results([env('venv', 'errored'), env('docker', 'completed')]), ['venv', 'docker'])).toBe(1);
    expect(exitCodeFor(results([env('venv', 'completed')]), ['venv'])).toBe(0);
  });
  it('does not count a row left out by its sample plan against --require; the kind\'s other rows decide', () => {
    const leftOut = { ...env('vm', 'skipped'), plan: { id: 'left-out', reason: 'tcg-repeats', starts: 0, warmups: 0, imports: 0, probes: false } } as RunResults['environments'][number];
    expect(exitCodeFor(results([env('vm', 'completed'), leftOut]), ['vm'])).toBe(0);
    expect(exitCodeFor(results([leftOut]), ['vm'])).toBe(2);
  });
});

describe('output folder', () => {
  const made: string[] = [];
  const scratch = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'isobench-test-'));
    made.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const d of made) await rm(d, { recursive: true, force: true });
  });

  it('creates a new folder with the marker and accepts it again', async () => {
    const base = await scratch();
    const out = await prepareOutDir(join(base, 'a', 'b'));
    expect(await readdir(out)).toEqual([OUT_MARKER]);
    await expect(prepareOutDir(out)).resolves.toBe(out);
  });

  it('refuses a non-empty folder of the user\'s and leaves it untouched', async () => {
    const base = await scratch();
    await writeFile(join(base, 'thesis.txt'), 'mine');
    await expect(prepareOutDir(base)).rejects.toThrow(/not empty and was not created by isobench/);
    expect(await readdir(base)).toEqual(['thesis.txt']);
    expect(await readFile(join(base, 'thesis.txt'), 'utf8')).toBe('mine');
  });

  it('refuses a file', async () => {
    const base = await scratch();
    await writeFile(join(base, 'f'), '');
    await expect(prepareOutDir(join(base, 'f'))).rejects.toThrow(/is a file, not a folder/);
  });
});

describe('run ids in resource names', () => {
  it('finds the run id of runs, tests and commands, and nothing in other names', async () => {
    const { runIdOf } = await import('../../src/lifecycle/leftovers.js');
    expect(runIdOf('isobench-20261129-011910-41c17f-vm-qemu-1')).toBe('20261129-011910-41c17f');
    expect(runIdOf('isobench-test-20261129-011910-41c17f-vm-qemu-1')).toBe('test-20261129-011910-41c17f');
    expect(runIdOf('isobench-20261129-011910-41c17f-AbCdEf')).toBe('20261129-011910-41c17f');
    expect(runIdOf('isobench-test-gkpgoz')).toBeUndefined();
    expect(runIdOf('isobench-screenshots')).toBeUndefined();
  });
});
