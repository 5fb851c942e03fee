// The venv driver: `python3 -m venv`, pip install, and commands run with the venv activated.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { checked, run, runOk } from '../../lifecycle/process.js';
import { diskUsage } from '../../measure/disk.js';
import { sampleReported } from '../../measure/clock.js';
import type { ProcessTimer } from '../../measure/timer.js';
import { OutputWatch } from '../output-watch.js';
import { pipInstallArgv, pipRetries } from './pip.js';
import { activateArgv, BARE_BASH_ARGV, parseActivateMicros } from './activate.js';
import type { Config } from '../../config/schema.js';
import type { Background, Driver, DriverContext, Env, EnvSpec, ExecOptions, ExecResult, Instance, Metric, Preflight, Step } from '../types.js';

export interface VenvEnv extends Env {
  kind: 'venv';
  interpreter: string;
  dir: string;
  python: string;
}

export interface VenvInstance extends Instance {
  env: VenvEnv;
  /** The environment of an activated shell: VIRTUAL_ENV set, its bin first on PATH. */
  vars: Record<string, string>;
  /** Times exec's commands (each one is a sample: the import, the probes' commands). */
  timer: ProcessTimer;
  /** The run's abort signal: commands in the instance stop on SIGINT/SIGTERM. */
  signal?: AbortSignal;
}

const specFor = (interpreter: string): EnvSpec => ({
  name: `venv-${interpreter.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-+|-+$/g, '')}`,
  label: `${interpreter} venv`,
});

const stepMs = (ctx: DriverContext) => ctx.config.timeouts.stepSec * 1000;

/** Maps argv[0] 'python' to the venv's interpreter. */
const resolveArgv = (env: VenvEnv, argv: string[]): string[] => (argv[0] === 'python' ? [env.python, ...argv.slice(1)] : argv);

async function preflight(ctx: DriverContext): Promise<Preflight> {
  const facts: Record<string, string> = {};
  for (const interp of ctx.config.environments.venv.interpreters) {
    const r = await run([interp, '-c', 'import sys, venv, ensurepip; print(sys.version.split()[0])'], {
      step: `${interp} preflight`,
      timeoutMs: 30_000,
      signal: ctx.signal,
    });
    if (r.exitCode !== 0) {
      const missing = /command not found/.test(r.stderr);
      return {
        ok: false,
        reason: missing ? `${interp} not found on PATH` : `${interp} cannot create venvs: ${r.stderr.trim().split('\n').pop()}`,
        fix: missing
          ? `install Python 3 (e.g. apt-get install python3 python3-venv) or list an existing interpreter under environments.venv.interpreters`
          : `install the venv module for ${interp} (on Debian/Ubuntu: apt-get install python3-venv)`,
      };
    }
    facts[`venv.${interp}`] = r.stdout.trim();
  }
  return { ok: true, facts };
}

async function create(spec: EnvSpec, ctx: DriverContext): Promise<VenvEnv> {
  const interpreter = ctx.config.environments.venv.interpreters.find((i) => specFor(i).name === spec.name);
  if (!interpreter) throw new Error(`no venv interpreter for ${spec.name}`);
  const { env } = await makeVenv(spec, interpreter, ctx, !ctx.keep);
  return env;
}

/** `interpreter -m venv` into the run's venv folder; its removal is registered (when `teardown`) before the venv exists. */
async function makeVenv(spec: EnvSpec, interpreter: string, ctx: DriverContext, teardown: boolean): Promise<{ env: VenvEnv; remove: () => Promise<void> }> {
  const parent = join(ctx.workDir, 'venv');
  await mkdir(parent, { recursive: true });
  const dir = join(parent, spec.name);
  const env: VenvEnv = { kind: 'venv', name: spec.name, label: spec.label, interpreter, dir, python: join(dir, 'bin', 'python'), facts: { 'isolation.step': 'venv', subject: 'venv' } };
  const remove = teardown ? ctx.cleanup.push(`venv ${dir}`, () => rm(dir, { recursive: true, force: true })) : async () => undefined;
  await runOk([interpreter, '-m', 'venv', dir], { step: `${interpreter} -m venv`, timeoutMs: stepMs(ctx), signal: ctx.signal });
  return { env, remove };
}

/** Venv B beside venv A: made the same way from the same interpreter, without A's packages; removed by dispose (also under --keep: it is a probe's). */
async function sibling(env: VenvEnv, ctx: DriverContext): Promise<{ inst: VenvInstance; dispose: () => Promise<void> }> {
  const { env: other, remove } = await makeVenv({ name: `${env.name}-sibling`, label: `${env.label} (a second venv)` }, env.interpreter, ctx, true);
  return { inst: await start(other, ctx), dispose: remove };
}

async function install(env: VenvEnv, pkgs: string[], ctx: DriverContext): Promise<Step> {
  const argv = pipInstallArgv(env.python, pkgs, ctx.config.pip);
  const r = await run(argv, { step: 'pip install', timeoutMs: stepMs(ctx), signal: ctx.signal });
  const ok = r.exitCode === 0 && !r.timedOut;
  const why = r.timedOut ? `timed out after ${ctx.config.timeouts.stepSec} s` : pipError(r.stderr || r.stdout);
  const retries = pipRetries(r.stderr);
  const method = retries
    ? `wall time of pip install ${pkgs.join(' ')} with pip's own configuration, in this run; it includes ${retries.count} retries of an index pip could not reach (${retries.cause}), each after a back-off: on a machine whose pip reaches every index it is configured with, the install is shorter`
    : undefined;
  if (method) ctx.note(`venv install: ${method}`);
  const output = `${r.stdout}${r.stderr}`;
  return { step: 'install', ok, durationMs: r.durationMs, ...(method ? { method } : {}), ...(ok ? {} : { error: `pip install ${pkgs.join(' ')} failed: ${why}`, output }) };
}

/** The line of pip's output that says what went wrong (its ERROR: lines), else its last line. */
function pipError(out: string): string {
  const lines = out.trim().split('\n');
  const errors = lines.filter((l) => l.startsWith('ERROR:'));
  return (errors.length ? errors : lines.slice(-1)).join(' ').trim();
}

/** A venv has nothing to start: an instance is the activated environment its commands run in (no phases). */
async function start(env: VenvEnv, ctx: DriverContext): Promise<VenvInstance> {
  const vars = { VIRTUAL_ENV: env.dir, PATH: `${join(env.dir, 'bin')}:${process.env.PATH ?? ''}` };
  return { env, id: randomBytes(4).toString('hex'), vars, timer: ctx.timer, phases: {}, signal: ctx.signal };
}

async function exec(inst: VenvInstance, argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const r = await inst.timer.run(resolveArgv(inst.env, argv), {
    step: `venv exec ${argv[0]}`,
    timeoutMs: opts.timeoutMs ?? 120_000,
    env: { ...inst.vars, ...opts.env },
    input: opts.input,
    signal: inst.signal,
  });
  return r;
}

async function spawn(inst: VenvInstance, argv: string[], opts: ExecOptions = {}): Promise<Background> {
  const [file, ...args] = resolveArgv(inst.env, argv);
  const child = execa(file!, args, {
    reject: false,
    env: { ...inst.vars, ...opts.env },
    timeout: opts.timeoutMs ?? 600_000,
    cancelSignal: inst.signal,
    forceKillAfterDelay: 2_000,
    buffer: false,
  });
  const watch = new OutputWatch();
  child.stdout?.on('data', (d: Buffer) => watch.push(d));
  child.stderr?.on('data', (d: Buffer) => watch.push(d));
  const done = child.then((r) => watch.close(`exited with ${r.exitCode ?? r.signal}`));
  return {
    waitFor: (pattern, timeoutMs) => watch.waitFor(pattern, timeoutMs),
    stop: async () => {
      child.kill('SIGTERM');
      await done;
    },
  };
}

async function measure(env: VenvEnv, ctx: DriverContext): Promise<Metric[]> {
  const du = await diskUsage(env.dir);
  const timing = { samples: ctx.config.samples, warmups: ctx.config.warmups };
  const activate = join(env.dir, 'bin', 'activate');
  const activateMs = await sampleReported(async () => {
    const r = await runOk(activateArgv(activate), { step: 'time source bin/activate', timeoutMs: 30_000, signal: ctx.signal });
    return parseActivateMicros(r.stdout);
  }, timing);
  const wall = (argv: string[], step: string) => {
    const opts = { step, timeoutMs: 30_000, signal: ctx.signal };
    return sampleReported(async () => checked(argv, opts, await ctx.timer.run(argv, opts)).durationMs, timing);
  };
  const shellMs = await wall(activateArgv(activate), 'bash sourcing activate');
  const bareMs = await wall(BARE_BASH_ARGV, 'bare bash');
  return [
    { id: 'disk.apparent.bytes', unit: 'bytes', value: du.apparentBytes, method: 'sum of file sizes (du --apparent-size)' },
    { id: 'disk.allocated.bytes', unit: 'bytes', value: du.allocatedBytes, method: 'allocated blocks (du -s, as the document\'s du -sh)' },
    { id: 'disk.files.count', unit: 'count', value: du.files, method: 'files and links below the venv' },
    { id: 'activate.ms', unit: 'ms', samples: activateMs, method: '`source bin/activate` timed inside bash (EPOCHREALTIME), as the document\'s `time source`' },
    { id: 'activate.shell.ms', unit: 'ms', samples: shellMs, method: 'wall time of a new bash that sources bin/activate' },
    { id: 'bash.baseline.ms', unit: 'ms', samples: bareMs, method: 'wall time of a new bare bash (baseline)' },
  ];
}

async function destroy(env: VenvEnv): Promise<void> {
  await rm(env.dir, { recursive: true, force: true });
}

/** The venv driver. */
export const venvDriver: Driver<VenvEnv, VenvInstance> = {
  kind: 'venv',
  preflight,
  specs: (config: Config) => config.environments.venv.interpreters.map(specFor),
  create,
  install,
  start,
  exec,
  spawn,
  stop: async () => {},
  measure,
  memory: async () => [],
  destroy,
  sibling,
};
