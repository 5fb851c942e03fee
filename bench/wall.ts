// Wall time of whole `isobench run`s: warm and cold, and how it grows with --samples and with environments.
import { loadConfig } from '../src/config/load.js';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, fmtMs, type BenchOptions, type Row, type SectionResult } from './lib.js';
import type { RunResults } from '../src/results/schema.js';

const VENV_TARGET_MS = 30_000;
/** A warm default run (venv, Docker, the full and micro guests, the Vagrant machine) on 2 cores under TCG. */
const FULL_TARGET_MS = 600_000;
const FULL_RUN_WHAT = 'warm default run: venv, Docker, full-OS + micro VM (default samples: 10; timed VM boots: 6 under KVM, 1 under TCG; the Vagrant row where KVM works)';

/** One CLI run: its wall time, exit code, and where the time went by environment and step. */
export interface WallRun {
  name: string;
  args: string[];
  ms: number;
  exitCode: number;
  /** env name -> step -> ms, from results.json. */
  steps: Record<string, Record<string, number>>;
  /** Wall time not inside any environment's steps: node start, preflights, reports, cleanup. */
  outsideStepsMs: number;
  statuses: Record<string, string>;
  notes: string[];
}

/** Where a run's time went, from its results.json. */
export function breakdown(results: RunResults, wallMs: number): Pick<WallRun, 'steps' | 'outsideStepsMs' | 'statuses' | 'notes'> {
  const steps: WallRun['steps'] = {};
  const statuses: WallRun['statuses'] = {};
  let inside = 0;
  for (const e of results.environments) {
    statuses[e.name] = e.reason ? `${e.status}: ${e.reason}` : e.status;
    steps[e.name] = Object.fromEntries(e.steps.map((s) => [s.step, Math.round(s.durationMs)]));
    inside += e.steps.reduce((a, s) => a + s.durationMs, 0);
  }
  return { steps, outsideStepsMs: Math.round(wallMs - inside), statuses, notes: [...results.notes, ...results.environments.flatMap((e) => e.notes)] };
}

/** The biggest steps of a run, for the table: "venv install 24.1 s, docker measure 80.2 s". */
export function topSteps(run: WallRun, n = 3): string {
  const all = Object.entries(run.steps).flatMap(([env, s]) => Object.entries(s).map(([step, ms]) => [`${env.split('-')[0]} ${step}`, ms] as const));
  all.push(['outside steps', run.outsideStepsMs]);
  return all
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([what, ms]) => `${what} ${fmtMs(ms)}`)
    .join(', ');
}

async function runCli(opts: BenchOptions, name: string, args: string[], work: string, env: Record<string, string> = {}): Promise<WallRun> {
  const out = join(work, `out-${name}`);
  const r = await cli(['run', ...args, '--out', out], env, opts.childWait);
  const text = await readFile(join(out, 'results.json'), 'utf8').catch(() => undefined);
  const parts = text ? breakdown(JSON.parse(text) as RunResults, r.ms) : { steps: {}, outsideStepsMs: r.ms, statuses: {}, notes: [`no results.json: ${r.stderr.trim().split('\n').pop()}`] };
  return { name, args, ms: r.ms, exitCode: r.exitCode, ...parts };
}

const target = (section: string, what: string, run: WallRun, limit: number | null): Row => ({
  section,
  what,
  isobench: fmtMs(run.ms),
  reference: '',
  result: topSteps(run),
  target: limit === null ? '(no target)' : `≤ ${fmtMs(limit)}`,
  met: limit === null ? null : run.ms <= limit && run.exitCode === 0,
});

/** Warm runs (venv with --samples 1, 3 and the default; venv+docker; all three), then a cold run without image caches. */
export async function wall(opts: BenchOptions): Promise<SectionResult> {
  const defaults = await loadConfig();
  const work = await mkdtemp(join(tmpdir(), 'isobench-bench-wall-'));
  const out: SectionResult = { rows: [], data: {}, skipped: [] };
  const runs: WallRun[] = [];
  const go = async (name: string, args: string[], env: Record<string, string> = {}) => {
    opts.log(`wall: isobench run ${args.join(' ')}${env.ISOBENCH_CACHE ? ' (fresh cache)' : ''}`);
    const r = await runCli(opts, name, args, work, env);
    runs.push(r);
    return r;
  };
  try {
    const venvDefault = await go('venv-default', ['--only', 'venv', ...(opts.samples ? ['--samples', String(opts.samples)] : [])]);
    const n = opts.samples ?? defaults.samples;
    out.rows.push(target('wall', `warm venv-only run (${opts.samples ? '' : 'default '}--samples ${n})`, venvDefault, opts.samples ? null : VENV_TARGET_MS));
    if (opts.quick) {
      out.skipped.push('wall: --samples growth, venv+docker, warm full run and cold run (--quick)');
      return out;
    }
    const venv1 = await go('venv-s1', ['--only', 'venv', '--samples', '1']);
    const venv3 = await go('venv-s3', ['--only', 'venv', '--samples', '3']);
    const perSample = (venvDefault.ms - venv1.ms) / (defaults.samples - 1);
    out.rows.push({ ...target('wall growth', `venv-only --samples 1 / 3 / ${defaults.samples}`, venv1, null), isobench: [venv1, venv3, venvDefault].map((r) => fmtMs(r.ms)).join(' / '), result: `+${fmtMs(perSample)} per sample` });
    const two = await go('venv-docker', ['--only', 'venv,docker']);
    const full = await go('full-warm', []);
    out.rows.push({ ...target('wall growth', 'environments 1 / 2 / 3 (venv, +docker, +vm)', venvDefault, null), isobench: [venvDefault, two, full].map((r) => fmtMs(r.ms)).join(' / '), result: `+docker ${fmtMs(two.ms - venvDefault.ms)}, +vm ${fmtMs(full.ms - two.ms)}` });
    out.rows.push(target('wall', FULL_RUN_WHAT, full, FULL_TARGET_MS));
    const cache = await mkdtemp(join(tmpdir(), 'isobench-bench-cache-'));
    try {
      opts.log('wall: cold: isobench images build docker --force (fresh cache)');
      const images = await cli(['images', 'build', 'docker', '--force'], { ISOBENCH_CACHE: cache }, opts.childWait);
      const cold = await go('full-cold', [], { ISOBENCH_CACHE: cache });
      const total = { ...cold, ms: images.ms + cold.ms };
      out.rows.push({
        ...target('wall', 'cold full run: images build docker --force + run with an empty cache (VM image built in the run)', total, null),
        isobench: fmtMs(total.ms),
        result: `images ${fmtMs(images.ms)} + run ${fmtMs(cold.ms)}; ${topSteps(cold, 2)}`,
      });
      out.data.coldImagesMs = images.ms;
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
    return out;
  } finally {
    out.data.runs = runs;
    await rm(work, { recursive: true, force: true });
  }
}

/** Only the warm default run (`npm run bench -- --full-run`): its wall time against the 10-minute target, and where it went. */
export async function warmFullRun(opts: BenchOptions): Promise<SectionResult> {
  const work = await mkdtemp(join(tmpdir(), 'isobench-bench-wall-'));
  try {
    opts.log('wall: isobench run (the default configuration, warm caches)');
    const full = await runCli(opts, 'full-warm', [], work);
    if (opts.keep) await cp(join(work, 'out-full-warm'), opts.keep, { recursive: true });
    const rows: Row[] = [{ ...target('wall', FULL_RUN_WHAT, full, FULL_TARGET_MS), result: topSteps(full, 5) }];
    return { rows, data: { runs: [full] }, skipped: [] };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
