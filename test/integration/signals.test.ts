// Real signals at several moments of each kind's run, and of `images build`: the process exits within 5 s with
// 130 (SIGINT) or 143 (SIGTERM), leaves no container, QEMU process, work dir, mount or manifest, and keeps
// results.json with what was measured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { execa, type ResultPromise } from 'execa';
import { runResultsSchema } from '../../src/results/schema.js';
import { TMP_INFIX } from '../../src/run/output.js';
import { LABEL_OWNER } from '../../src/lifecycle/labels.js';
import { findQemuProcesses } from '../../src/drivers/vm/orphans.js';
import { cleanupRun, forcedLeftovers } from '../helpers/forced.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'isobench.js');
const docker = new Docker();
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'isobench-test-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

interface Stopped {
  runId: string;
  code: number | undefined;
  exitMs: number;
  /** stderr up to the moment the signal was sent. */
  atSignal: string;
  stderr: string;
}

/** Starts isobench, waits for `pattern` on stderr and `delayMs` more, sends `signal`; times the exit. */
async function interrupt(args: string[], pattern: RegExp, delayMs: number, signal: 'SIGINT' | 'SIGTERM', env: Record<string, string> = {}): Promise<Stopped> {
  const child: ResultPromise = execa('node', [BIN, ...args], { reject: false, timeout: 900_000, env, extendEnv: true });
  let text = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      if (pattern.test(text)) resolve();
    });
    child.once('exit', () => reject(new Error(`exited before ${pattern}: ${text}`)));
  });
  await new Promise((r) => setTimeout(r, delayMs));
  const t0 = performance.now();
  const exited = new Promise<number>((resolve) => child.once('exit', () => resolve(performance.now() - t0)));
  const atSignal = text;
  child.kill(signal);
  const exitMs = await exited;
  const r = await child;
  const runId = /isobench (\S+):/.exec(text)?.[1] ?? /(images|doctor)-\d{8}-\d{6}-[0-9a-f]{6}/.exec(String(r.stderr))?.[0] ?? '';
  return { runId, code: r.exitCode, exitMs, stderr: String(r.stderr), atSignal };
}

/** What a run left: containers it created, its QEMU processes, work dirs, mounts below them, its manifest. */
async function leftBehind(runId: string, cache = join(process.env.HOME ?? '', '.cache', 'isobench')): Promise<string[]> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`${LABEL_OWNER}=${runId}`] } });
  const qemu = await findQemuProcesses(`isobench-${runId}`);
  const dirs = (await readdir(tmpdir())).filter((f) => f.startsWith(`isobench-${runId}`));
  const mounts = (await readFile('/proc/mounts', 'utf8')).split('\n').filter((l) => l.includes(`isobench-${runId}`));
  const manifests = (await readdir(join(cache, 'runs')).catch(() => [] as string[])).filter((f) => f.startsWith(runId));
  return [
    ...containers.map((c) => `container ${c.Id.slice(0, 12)}`),
    ...qemu.map((q) => `qemu ${q.pid}`),
    ...dirs.map((d) => `dir ${d}`),
    ...mounts.map((m) => `mount ${m}`),
    ...manifests.map((m) => `manifest ${m}`),
  ];
}

async function kept(out: string) {
  return runResultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
}

const report: string[] = [];

/** The step of the environment's last progress line in `text` (create, install, measure, start, probes). */
function stepAtSignal(text: string, env: string): string | undefined {
  const steps: [RegExp, string][] = [[/^create/, 'create'], [/^install/, 'install'], [/^measure/, 'measure'], [/^start samples/, 'start'], [/^isolation probes/, 'probes']];
  const lines = text.split('\n').filter((l) => l.startsWith(`${env}: `)).map((l) => l.slice(env.length + 2));
  for (const l of lines.reverse()) for (const [re, id] of steps) if (re.test(l)) return id;
  return undefined;
}
afterAll(() => {
  if (report.length) process.stderr.write(`signals:\n${report.join('\n')}\n`);
});

// kind, what runs, the progress line to wait for (environment: step), the delay after it, the signal, the step it lands in.
const CASES: [kind: string, when: string, pattern: RegExp, delayMs: number, signal: 'SIGINT' | 'SIGTERM', step: string][] = [
  ['venv', 'pip install', /venv-python3: install/, 1500, 'SIGTERM', 'install'],
  ['venv', 'start samples', /venv-python3: start samples/, 300, 'SIGINT', 'start'],
  ['docker', 'docker build', /docker-requests: install/, 1500, 'SIGTERM', 'install'],
  ['docker', 'docker measure (uncached builds)', /docker-requests: measure/, 3000, 'SIGINT', 'measure'],
  ['docker', 'isolation probes', /docker-requests: isolation probes/, 500, 'SIGTERM', 'probes'],
  ['vm', 'VM boot', /vm-micro: start samples/, 3000, 'SIGTERM', 'start'],
  ['vm', 'VM probes', /vm-micro: isolation probes/, 2000, 'SIGINT', 'probes'],
];

describe('a signal during a run', () => {
  for (const [kind, when, pattern, delayMs, signal, step] of CASES) {
    it(`${kind}: ${signal} during ${when} exits within 5 s, leaves nothing, keeps results.json`, async () => {
      const out = join(scratch, `${kind}-${when.replace(/\W+/g, '-')}`);
      const cfg = join(scratch, `${kind}.yaml`);
      await writeFile(cfg, 'samples: 2\nwarmups: 0\nprobePort: 18801\nenvironments:\n  vm:\n    accel: tcg\n    bootSamples: 1\n    guests: [micro]\n    vagrant: { enabled: false }\n');
      const s = await interrupt(['run', '--only', kind, '--config', cfg, '--out', out], pattern, delayMs, signal);
      let left = await leftBehind(s.runId);
      const res = await kept(out);
      const forced = forcedLeftovers(s.stderr);
      report.push(`  ${kind} ${when} ${signal}: exit ${s.code} in ${Math.round(s.exitMs)} ms; left: ${left.join(', ') || 'nothing'}${forced ? ` (forced exit, named: ${forced})` : ''}; kept: results.json (${res.environments.map((e) => `${e.name} ${e.status}${e.reason ? ` "${e.reason}"` : ''}, ${Object.keys(e.metrics).length} metrics`).join('; ')})`);
      expect(s.code, s.stderr).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(s.exitMs, s.stderr).toBeLessThan(5000);
      if (forced !== undefined) {
        // Removals on a loaded Engine outlasted the grace: the run named them, and cleanup of this run removes them.
        expect(forced, s.stderr).not.toBe('nothing');
        const c = await cleanupRun(s.runId);
        expect(c.exitCode, c.output).toBe(0);
        left = await leftBehind(s.runId);
      }
      expect(left, s.stderr).toEqual([]);
      expect(res.complete).toBe(false);
      expect(res.runId).toBe(s.runId);
      // The environment the signal landed in is kept, marked with the step it interrupted.
      const name = pattern.source.split(':')[0];
      const env = res.environments.find((e) => e.name === name);
      expect(env, `${name} in results.json`).toBeDefined();
      // The step is the one its last progress line before the signal named (a fast machine may be past `step`).
      const landed = stepAtSignal(s.atSignal, name!) ?? step;
      report.push(`    meant for ${step}, landed in ${landed}`);
      expect([env!.status, env!.reason]).toEqual(['errored', `interrupted during ${landed}`]);
      expect((await readdir(out)).filter((f) => f.includes(TMP_INFIX))).toEqual([]);
    }, 900_000);
  }
});

describe('a signal during doctor\'s KVM trial boot', () => {
  it('SIGTERM exits within 5 s with 143 and leaves no QEMU process or work dir', async (t) => {
    const { access, constants } = await import('node:fs/promises');
    if (!(await access('/dev/kvm', constants.R_OK | constants.W_OK).then(() => true, () => false))) return t.skip();
    const dirsBefore = new Set(await readdir(tmpdir()));
    const qemuBefore = new Set((await findQemuProcesses('isobench-doctor-')).map((q) => q.pid));
    const s = await interrupt(['doctor'], /trial boot with KVM/, 2000, 'SIGTERM');
    const left = [
      ...(await readdir(tmpdir())).filter((f) => f.startsWith('isobench-doctor-') && !dirsBefore.has(f)),
      ...(await findQemuProcesses('isobench-doctor-')).filter((q) => !qemuBefore.has(q.pid)).map((q) => `qemu ${q.name}`),
    ];
    report.push(`  doctor KVM trial boot SIGTERM: exit ${s.code} in ${Math.round(s.exitMs)} ms; left: ${left.join(', ') || 'nothing'}`);
    expect(s.code, s.stderr).toBe(143);
    expect(s.exitMs, s.stderr).toBeLessThan(5000);
    expect(left).toEqual([]);
  }, 300_000);
});

describe('a signal during images build', () => {
  // A cache of its own and a tag of its own: the shared images are never touched.
  for (const [kind, delayMs, signal] of [['docker', 6000, 'SIGTERM'], ['vm', 6000, 'SIGINT']] as const) {
    it(`${kind}: ${signal} during debootstrap exits within 5 s and leaves no tree, mount or manifest`, async () => {
      const cache = await mkdtemp(join(scratch, 'cache-'));
      const cfg = join(scratch, `images-${kind}.yaml`);
      await writeFile(cfg, `environments:\n  docker:\n    pull: never\n    offlineBase: isobench-test/base:signal-${kind}\n`);
      const before = new Set(await readdir(tmpdir()));
      const s = await interrupt(['images', 'build', kind, '--config', cfg], /debootstrap/, delayMs, signal, { ISOBENCH_CACHE: cache });
      const manifests = await readdir(join(cache, 'runs')).catch(() => [] as string[]);
      const trees = [
        ...(await readdir(tmpdir())).filter((f) => f.startsWith('isobench-images-') && !before.has(f)),
        ...(await readdir(join(cache, 'vm')).catch(() => [] as string[])),
      ];
      const mounts = (await readFile('/proc/mounts', 'utf8')).split('\n').filter((l) => l.includes(cache) || /isobench-images-/.test(l));
      const left = [...manifests, ...trees, ...mounts];
      report.push(`  images build ${kind} ${signal} during debootstrap: exit ${s.code} in ${Math.round(s.exitMs)} ms; left: ${left.join(', ') || 'nothing'}`);
      expect(s.code, s.stderr).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(s.exitMs, s.stderr).toBeLessThan(5000);
      expect(left).toEqual([]);
      expect(await docker.getImage(`isobench-test/base:signal-${kind}`).inspect().catch(() => undefined)).toBeUndefined();
    }, 600_000);
  }
});
