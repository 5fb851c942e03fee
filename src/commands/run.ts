// `isobench run`: options -> config -> the run -> reports and exit code.
import { UserError } from '../config/errors.js';
import { loadConfig, DEFAULT_CONFIG_PATH } from '../config/load.js';
import { configSchema, MAX_INSTANCES, type Config } from '../config/schema.js';
import { CleanupStack } from '../lifecycle/cleanup.js';
import { createLogger, teeToFile } from '../lifecycle/log.js';
import { join } from 'node:path';
import { newRunId } from '../lifecycle/labels.js';
import { handleSignals } from '../lifecycle/signals.js';
import { defaultOutDir, prepareOutDir, type Lang } from '../run/output.js';
import { runBenchmark } from '../run/runner.js';
import { renderJson } from '../report/json.js';
import { createProgress } from './progress.js';
import { findLeftovers } from '../lifecycle/leftovers.js';
import { removeManifest } from '../lifecycle/manifest.js';
import { startLiveServer } from '../serve/live.js';
import { cleanCaches } from '../lifecycle/caches.js';
import { parseKinds } from './kinds.js';
import { KINDS, type Kind } from '../drivers/types.js';
import type { RunResults } from '../results/schema.js';
import { classSubmitter, submitUrl } from '../class/client.js';
import { CODE_PATTERN } from '../class/code.js';
import { machineId } from '../class/machine-id.js';

export const RUN_OPTIONS = {
  config: { type: 'string' },
  only: { type: 'string' },
  require: { type: 'string' },
  samples: { type: 'string' },
  instances: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  lang: { type: 'string' },
  keep: { type: 'boolean' },
  clean: { type: 'boolean' },
  'docker-host': { type: 'string' },
  accel: { type: 'string' },
  serve: { type: 'string' },
  submit: { type: 'string' },
  code: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

interface Parsed {
  values: { [K in keyof typeof RUN_OPTIONS]?: (typeof RUN_OPTIONS)[K]['type'] extends 'string' ? string : boolean };
  positionals: string[];
}

/** The whole log of a run, in its output folder (failed steps' tool output included). */
const LOG_FILE = 'isobench.log';

/** Applies the command-line overrides to the loaded config (validated again, so errors name the flag). */
function applyFlags(config: Config, v: Parsed['values']): Config {
  const next = structuredClone(config);
  if (v.samples !== undefined) {
    const n = Number(v.samples);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UserError('usage', `--samples: expected a positive integer up to 1000, got ${JSON.stringify(v.samples)}`);
    next.samples = n;
  }
  if (v.instances !== undefined) next.instances = parseInstances(v.instances);
  if (v['docker-host'] !== undefined) next.environments.docker.host = v['docker-host'];
  if (v.accel !== undefined) next.environments.vm.accel = parseAccel(v.accel);
  if (v.only === ONLY_ALL) everyRow(next);
  return configSchema.parse(next);
}

/** `--only all`: every row isobench has in one run, whatever the config turns off (the Vagrant row even under TCG). */
const ONLY_ALL = 'all';

/** Turns every kind and every optional row on (suite lists and guests stay as configured). */
export function everyRow(config: Config): void {
  const { venv, docker, vm } = config.environments;
  venv.enabled = docker.enabled = vm.enabled = true;
  docker.gvisor.enabled = docker.podman.enabled = true;
  vm.vagrant.enabled = true;
}

const ACCELS = ['auto', 'kvm-trial', 'kvm', 'tcg'] as const;

/** --accel: auto (cached trial), kvm-trial (a fresh trial), kvm or tcg; anything else is a usage error. */
export function parseAccel(value: string): Config['environments']['vm']['accel'] {
  const found = ACCELS.find((a) => a === value);
  if (!found) throw new UserError('usage', `--accel: expected one of ${ACCELS.join(', ')}, got ${JSON.stringify(value)}`);
  return found;
}

/** "1,2,4,8" -> [1, 2, 4, 8] (sorted, without duplicates); anything but positive integers up to 16 is a usage error. */
export function parseInstances(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  const ks = parts.map(Number);
  if (!parts.every((p) => /^\d+$/.test(p)) || ks.some((k) => k < 1 || k > MAX_INSTANCES)) {
    throw new UserError('usage', `--instances: expected a comma list of positive integers up to ${MAX_INSTANCES} (e.g. 1,2,4,8), got ${JSON.stringify(value)}`);
  }
  return [...new Set(ks)].sort((a, b) => a - b);
}

/** The kinds to run: --only (all: every kind), else those enabled in the config; --require adds to them. */
function selectKinds(config: Config, v: Parsed['values']): { kinds: Kind[]; required: Kind[] } {
  const required = v.require ? parseKinds('--require', v.require) : [];
  const base = v.only === ONLY_ALL ? [...KINDS] : v.only ? parseKinds('--only', v.only) : KINDS.filter((k) => config.environments[k].enabled);
  for (const r of required) {
    if (!base.includes(r)) throw new UserError('usage', `--require ${r}: ${r} is not selected (add it to --only or enable it in the config)`);
  }
  return { kinds: base, required };
}

/**
 * The exit code of a finished run: 1 when any environment errored (or a required one did not complete),
 * 2 when a required kind could not run here. Skipped for a missing prerequisite is not a failure unless required.
 */
export function exitCodeFor(results: RunResults, required: Kind[]): number {
  let code = results.environments.some((e) => e.status === 'errored') ? 1 : 0;
  for (const kind of required) {
    // A row left out by its sample plan (Vagrant under TCG) was not asked for: the kind's other rows decide.
    const envs = results.environments.filter((e) => e.kind === kind && e.plan?.id !== 'left-out');
    if (envs.length === 0 || envs.some((e) => e.status === 'skipped')) code = Math.max(code, 2);
    else if (envs.some((e) => e.status !== 'completed')) code = Math.max(code, 1);
  }
  return code;
}

/** The classroom live view on 127.0.0.1:port; a port in use is a usage error. */
async function startLive(port: number, lang: Lang) {
  try {
    return await startLiveServer(port, { lang: lang === 'ko' ? 'ko' : 'en' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError('usage', `--serve ${port}: cannot listen on 127.0.0.1:${port} (${code ?? (err as Error).message}); choose a free port or 0 for any`);
  }
}

/** --submit URL --code CODE: both or neither, an http(s) address and a class code as the teacher's screen shows them. */
export function classTarget(submit: string | undefined, code: string | undefined): { url: string; code: string } | undefined {
  if (submit === undefined && code === undefined) return undefined;
  if (submit === undefined || code === undefined) throw new UserError('usage', '--submit and --code go together: copy the whole command isobench class serve shows');
  let valid = false;
  try {
    valid = ['http:', 'https:'].includes(new URL(submit).protocol) && Boolean(submitUrl(submit));
  } catch {
    valid = false;
  }
  if (!valid) throw new UserError('usage', `--submit: expected the class server's address such as http://192.168.0.10:8787, got ${JSON.stringify(submit)}`);
  const normal = code.trim().toUpperCase();
  if (!CODE_PATTERN.test(normal)) throw new UserError('usage', `--code: expected the 6-character class code the teacher shows, got ${JSON.stringify(code)}`);
  return { url: submit, code: normal };
}

/** Says what earlier runs left behind (it is not removed here: the user decides with isobench cleanup). */
async function warnLeftovers(config: Config, log: { warn(m: string): void }): Promise<void> {
  const found = (await findLeftovers(config).catch(() => [])).filter((l) => l.mine);
  if (found.length === 0) return;
  const kinds = [...new Set(found.map((l) => l.kind))].join(', ');
  log.warn(`${found.length} leftover(s) of earlier runs (${kinds}); remove them with: isobench cleanup`);
}

/** Runs `isobench run`. */
export async function runCommand({ values: v, positionals }: Parsed): Promise<number> {
  if (positionals.length) throw new UserError('usage', `run takes no arguments, got "${positionals[0]}"; see isobench --help`);
  const lang = (v.lang ?? 'both') as Lang;
  if (!['en', 'ko', 'both'].includes(lang)) throw new UserError('usage', `--lang: expected en, ko or both, got "${v.lang}"`);
  const config = applyFlags(await loadConfig(v.config ?? DEFAULT_CONFIG_PATH), v);
  const { kinds, required } = selectKinds(config, v);
  const servePort = v.serve === undefined ? undefined : Number(v.serve);
  if (servePort !== undefined && !(Number.isInteger(servePort) && servePort >= 0 && servePort <= 65535)) {
    throw new UserError('usage', `--serve: expected a port number from 0 to 65535, got ${JSON.stringify(v.serve)}`);
  }
  const target = classTarget(v.submit, v.code);
  const runId = newRunId();
  const outDir = await prepareOutDir(v.out ?? defaultOutDir(runId));
  const cleanup = new CleanupStack(config.timeouts.cleanupSec * 1000);
  const progress = createProgress(kinds.length * (config.instances.length ? 6 : 5), createLogger({ verbose: v.verbose }), process.stderr, Boolean(v.verbose));
  // Everything, build logs included, also goes to isobench.log in the output folder.
  const log = teeToFile(progress.log, join(outDir, LOG_FILE));
  const live = servePort === undefined ? undefined : await startLive(servePort, lang);
  const submitter = target && classSubmitter({ ...target, machineId: await machineId(), log });
  const signals = handleSignals(cleanup, log);
  let results: RunResults | undefined;
  try {
    if (live) log.info(`live view: ${live.url}`);
    live?.progress({ state: 'running', left: kinds });
    if (target) log.info(`class: sending results to ${target.url}`);
    log.info(`isobench ${runId}: ${kinds.join(', ')} -> ${outDir}`);
    await warnLeftovers(config, log);
    results = await runBenchmark({
      config,
      runId,
      kinds,
      outDir,
      lang,
      logFile: LOG_FILE,
      keep: Boolean(v.keep),
      cleanup,
      log,
      signal: signals.controller.signal,
      progress: (env, step) => {
        progress.step(env, step);
        live?.progress({ state: 'running', now: `${env}: ${step}`, left: kinds.slice(kinds.findIndex((k) => env.startsWith(k)) + 1) });
        submitter?.step(`${env}: ${step}`);
      },
      onResults: (r) => {
        live?.update(r);
        submitter?.results(r);
      },
    });
  } finally {
    const failures = await cleanup.runAll();
    await submitter?.finish(results?.complete ? 'done' : 'failed', results);
    progress.stop();
    signals.dispose();
    await live?.close();
    for (const f of failures) log.warn(`cleanup: ${f.what}: ${f.error}`);
    if (failures.length === 0) await removeManifest(runId);
    else log.warn(`some resources could not be removed; isobench cleanup retries them`);
  }
  if (v.clean) {
    const removed = await cleanCaches(kinds, config).catch((err: Error) => {
      log.warn(`--clean: ${err.message}`);
      return [];
    });
    log.info(`--clean: removed ${removed.length ? removed.join(', ') : 'nothing'}`);
  }
  if (v.json) process.stdout.write(renderJson(results));
  log.info(`results: ${outDir}/results.json, report: ${outDir}/report.md`);
  return signals.exitCode() ?? exitCodeFor(results, required);
}
