// `npm run bench [-- --quick] [--only SECTIONS] [--tag NAME] [--loaded] [--samples N] [--out FILE]`: measures isobench itself,
// prints one table, writes bench/results/<date>[-quick][-NAME].json (or FILE).
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { hostFingerprint } from '../src/measure/host.js';
import { VERSION } from '../src/lifecycle/labels.js';
import { benchContext, fmtMs, ROOT, waitForQuiet, type BenchOptions, type Row, type SectionResult } from './lib.js';
import { prepare, type Prepared } from './fixtures.js';
import { overhead } from './overhead.js';
import { fidelity } from './fidelity.js';
import { floor } from './floor.js';
import { density } from './density.js';
import { pipBreakdown } from './pip.js';
import { wall, warmFullRun } from './wall.js';
import { classLoad } from './class-load.js';
import { spectrum } from './spectrum.js';
import { renderTable } from './table.js';

const SECTIONS = ['overhead', 'class', 'fidelity', 'floor', 'density', 'pip', 'spectrum', 'wall'] as const;
const { values } = parseArgs({ options: { quick: { type: 'boolean' }, 'full-run': { type: 'boolean' }, keep: { type: 'string' }, only: { type: 'string' }, tag: { type: 'string' }, loaded: { type: 'boolean' }, out: { type: 'string' }, samples: { type: 'string' } } });
const quick = Boolean(values.quick);
/** --full-run: only the warm default run's wall time (the other sections take a quarter of an hour more). */
const fullRunOnly = Boolean(values['full-run']);
const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...SECTIONS];
const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
if (unknown.length) {
  process.stderr.write(`bench: --only: unknown section ${unknown.join(', ')} (sections: ${SECTIONS.join(', ')})\n`);
  process.exit(2);
}
const samples = values.samples === undefined ? undefined : Number(values.samples);
if (samples !== undefined && !(Number.isInteger(samples) && samples >= 1)) {
  process.stderr.write(`bench: --samples: expected a whole number of at least 1, got ${JSON.stringify(values.samples)}\n`);
  process.exit(2);
}
if (samples !== undefined && !quick) {
  process.stderr.write('bench: --samples goes with --quick (the full bench measures how a run grows with its samples)\n');
  process.exit(2);
}
if (values.tag !== undefined && !/^[\w.-]+$/.test(values.tag)) {
  process.stderr.write(`bench: --tag: expected letters, digits, '.', '_' or '-', got ${JSON.stringify(values.tag)}\n`);
  process.exit(2);
}
const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
const started = new Date();
const t0 = performance.now();

log('building dist/ (the wall-time runs use the built CLI)');
const build = await execa('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, reject: false });
if (build.exitCode !== 0) log(`warning: tsc reported errors (dist/ was still written): ${build.stdout.split('\n')[0]}`);

// --loaded: do not wait for a quiet machine (a test of the bench itself; its timings are under load).
const waitedMs = values.loaded ? 0 : await waitForQuiet(log);
const ctx = await benchContext();
const childWaits: string[] = [];
const childWait = (line: string) => {
  childWaits.push(line);
  log(`a child isobench process waits: ${line.replace(/^warning: /, '')}`);
};
const opts: BenchOptions = { quick, ctx, log, childWait, ...(samples ? { samples } : {}), ...(values.keep ? { keep: resolve(values.keep) } : {}) };
const interrupt = () => void ctx.cleanup.runAll().finally(() => process.exit(130));
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);

const file = values.out ? resolve(values.out) : join(ROOT, 'bench', 'results', `${started.toISOString().slice(0, 10)}${fullRunOnly ? '-full-run' : quick ? '-quick' : ''}${values.tag ? `-${values.tag}` : ''}.json`);
const report = {
  tool: { name: 'isobench', version: VERSION },
  startedAt: started.toISOString(),
  runId: ctx.runId,
  quick,
  loaded: Boolean(values.loaded),
  only,
  waitedForQuietMs: waitedMs,
  loadavgAtStart: loadavg(),
  host: { ...(await hostFingerprint()), timing: await ctx.timer.floor() },
  preparation: {} as Record<string, unknown>,
  sections: {} as Record<string, SectionResult['data'] & { ms: number }>,
  rows: [] as Row[],
  skipped: [] as string[],
  /** What child runs said while they waited on a lock (never one this bench holds: cli() refuses that). */
  childWaits,
  totalMs: 0,
};
const save = async () => {
  report.totalMs = performance.now() - t0;
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
};

/** Runs one section; a failure is recorded as skipped with the reason, and the others go on. */
async function section(name: (typeof SECTIONS)[number], fn: () => Promise<SectionResult>): Promise<void> {
  if (!only.includes(name)) return;
  const s0 = performance.now();
  try {
    const r = await fn();
    report.rows.push(...r.rows);
    report.skipped.push(...r.skipped);
    report.sections[name] = { ...r.data, ms: performance.now() - s0 };
  } catch (err) {
    report.skipped.push(`${name}: failed: ${(err as Error).message.split('\n')[0]}`);
    report.sections[name] = { ms: performance.now() - s0 };
  }
  log(`${name} done in ${fmtMs(performance.now() - s0)}`);
  await save();
}

async function prepared(kind: 'venv' | 'docker' | 'vm'): Promise<Prepared | string> {
  log(`preparing ${kind}`);
  const p = await prepare(kind, ctx).catch((err: Error) => `${kind}: ${err.message.split('\n')[0]}`);
  report.preparation[kind] = typeof p === 'string' ? { skipped: p } : { ms: Math.round(p.ms), env: p.env.label };
  return p;
}

const left = SECTIONS.filter((s) => !only.includes(s));
if (left.length && !fullRunOnly) report.skipped.push(`sections not selected (--only): ${left.join(', ')}`);
const needs = (...names: string[]) => names.some((n) => only.includes(n));
const notNeeded = 'not prepared (no selected section uses it)';
try {
  if (fullRunOnly) await section('wall', () => warmFullRun(opts));
  else await allSections();
} finally {
  const failures = await ctx.cleanup.runAll();
  for (const f of failures) report.skipped.push(`cleanup ${f.what}: ${f.error}`);
  await save();
}

/** Destroys the prepared environments (and so releases the locks they hold) before any section starts a child run. */
async function release(envs: (Prepared | string)[]): Promise<void> {
  for (const p of envs) {
    if (typeof p === 'string') continue;
    await p.driver.destroy(p.env, ctx).catch((err: Error) => report.skipped.push(`release ${p.env.name}: ${err.message.split('\n')[0]}`));
  }
}

async function allSections(): Promise<void> {
  const venv = needs('fidelity', 'density') ? await prepared('venv') : notNeeded;
  const docker = needs('fidelity', 'floor', 'density') ? await prepared('docker') : notNeeded;
  await section('overhead', () => overhead(opts));
  await section('class', () => classLoad(opts));
  await section('fidelity', () => fidelity(opts, venv, docker));
  await section('floor', () => floor(opts, docker));
  const vm = needs('density') ? await prepared('vm') : notNeeded;
  await section('density', () => density(opts, [venv, docker, vm]));
  // The prepared Docker environment holds the Engine's images lock: the child runs below would wait for it.
  await release([venv, docker, vm]);
  await section('pip', () => pipBreakdown(opts, ctx.config.pip.wheelhouse));
  await section('spectrum', () => spectrum(opts));
  await section('wall', () => wall(opts));
}

process.stdout.write(`\nisobench ${VERSION} harness benchmark, ${started.toISOString()}${quick ? ' (--quick)' : ''}, ${fmtMs(report.totalMs)} in all\n\n`);
process.stdout.write(`${renderTable(report.rows)}\n`);
if (report.skipped.length) process.stdout.write(`\nskipped or not measured:\n${report.skipped.map((s) => `- ${s}`).join('\n')}\n`);
process.stdout.write(`\nwritten: ${file}\n`);
