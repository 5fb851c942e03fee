// The run: each selected environment in turn, results and reports rewritten after each one.
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { workDirPrefix } from '../lifecycle/owner.js';
import { join } from 'node:path';
import { DRIVERS } from '../drivers/registry.js';
import { hostFingerprint } from '../measure/host.js';
import { ProcessTimer } from '../measure/timer.js';
import { VERSION } from '../lifecycle/labels.js';
import { emptyEnvResult, runEnvironment } from './env-run.js';
import { loadClaims } from '../claims/load.js';
import { judgeClaims } from '../claims/verdict.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderJson } from '../report/json.js';
import { htmlReports } from '../report/html.js';
import { isFsError, OutputError, writeAtomic, type Lang } from './output.js';
import { liveManifest, removeManifestIfAlone, writeManifest } from '../lifecycle/manifest.js';
import { SCHEMA_VERSION, type EnvResult, type RunResults, type SamplePlanResult } from '../results/schema.js';
import type { Config } from '../config/schema.js';
import type { CleanupStack } from '../lifecycle/cleanup.js';
import type { Logger } from '../lifecycle/log.js';
import type { DriverContext, Kind, Preflight } from '../drivers/types.js';

export interface RunOptions {
  config: Config;
  runId: string;
  kinds: Kind[];
  outDir: string;
  lang: Lang;
  keep: boolean;
  cleanup: CleanupStack;
  log: Logger;
  signal: AbortSignal;
  /** Called with the results after each environment (the live view, --json printing at the end). */
  onResults?: (results: RunResults) => void;
  /** Called as each environment enters a step (progress display). */
  progress?: (env: string, step: string) => void;
  /** The log file `log` also writes, relative to outDir: a failed row's report links to it. */
  logFile?: string;
}

/** Runs the benchmark; returns the final results (complete: false when interrupted). */
export async function runBenchmark(opts: RunOptions): Promise<RunResults> {
  const { config, log } = opts;
  const claims = await loadClaims();
  const results: RunResults = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'isobench', version: VERSION },
    runId: opts.runId,
    startedAt: new Date().toISOString(),
    complete: false,
    settings: { samples: config.samples, warmups: config.warmups, packages: config.packages },
    host: await hostFingerprint(),
    environments: [],
    claims: [],
    notes: [],
  };
  const manifest = liveManifest(opts.runId, { purpose: 'run', startedAt: results.startedAt, outDir: opts.outDir });
  await writeManifest(manifest);
  // Removed by the run command once the stack ran clean; here only a forced exit's fallback for it.
  opts.cleanup.push(`manifest of ${opts.runId}`, () => Promise.resolve(), removeManifestIfAlone(opts.runId, opts.cleanup));
  const workDir = await mkdtemp(workDirPrefix(opts.runId));
  await writeManifest({ ...manifest, workDir });
  if (!opts.keep) opts.cleanup.push(`work dir ${workDir}`, () => rm(workDir, { recursive: true, force: true }), () => rmSync(workDir, { recursive: true, force: true }));
  else log.info(`--keep: environments stay in ${workDir}`);
  const ctx: DriverContext = {
    runId: opts.runId,
    workDir,
    config,
    cleanup: opts.cleanup,
    log,
    signal: opts.signal,
    timer: new ProcessTimer({ baseDir: workDir, cleanup: opts.cleanup, log }),
    keep: opts.keep,
    note: (t) => results.notes.push(t),
    ...(opts.logFile ? { logFile: opts.logFile } : {}),
  };
  results.host.timing = await ctx.timer.floor();
  let reportsError: OutputError | undefined;
  // Reports that cannot be written (results.json could) are said once and the run goes on; the run's exit
  // code then says so (reportsError). results.json that cannot be written stops the run: nothing would be kept.
  const save = async () => {
    results.claims = judgeClaims(claims, results.environments);
    opts.onResults?.(results);
    try {
      await writeReports(results, opts.outDir, opts.lang);
      reportsError = undefined;
    } catch (err) {
      if (!(err instanceof OutputError && err.resultsKept)) throw err;
      if (!reportsError) log.warn(err.message);
      reportsError = err;
    }
  };
  await save();
  for (const kind of opts.kinds) {
    const driver = DRIVERS[kind];
    if (!driver) {
      results.environments.push({ ...emptyEnvResult({ kind } as never, { name: kind, label: kind }, 'skipped'), reason: `the ${kind} driver is not available in this version` });
      continue;
    }
    const specs = driver.specs(config);
    if (opts.signal.aborted) {
      for (const s of specs) results.environments.push({ ...emptyEnvResult(driver, s, 'skipped'), reason: 'the run was interrupted before it started' });
      continue;
    }
    log.info(`${kind}: preflight`);
    const kindPre = await driver.preflight(ctx);
    Object.assign(results.host.facts, kindPre.facts ?? {});
    for (const spec of specs) {
      let env: EnvResult;
      const own = await driver.preflightSpec?.(spec, ctx);
      if (own) Object.assign(results.host.facts, own.facts ?? {});
      const pre = own ?? kindPre;
      if (!pre.ok) env = { ...emptyEnvResult(driver, spec, 'skipped'), reason: pre.reason ?? 'not usable here', ...(pre.fix ? { fix: pre.fix } : {}), ...(pre.leftOut ? { plan: leftOutPlan(pre.leftOut) } : {}) };
      else if (opts.signal.aborted) env = { ...emptyEnvResult(driver, spec, 'skipped'), reason: 'the run was interrupted before it started' };
      else env = await runEnvironment(driver, spec, ctx, results.host, opts.progress);
      if (env.status === 'skipped') log.warn(`${spec.name}: skipped: ${env.reason}${env.fix ? ` (fix: ${env.fix})` : ''}`);
      results.environments.push(env);
      await save();
    }
  }
  results.complete = !opts.signal.aborted;
  results.finishedAt = new Date().toISOString();
  await save();
  if (reportsError) throw reportsError;
  return results;
}

/** The plan of a row left out of this run by choice: nothing started, nothing probed, and what it would repeat. */
function leftOutPlan(left: NonNullable<Preflight['leftOut']>): SamplePlanResult {
  return { id: 'left-out', reason: left.reason, starts: 0, warmups: 0, imports: 0, probes: false, ...(left.repeats ? { repeats: left.repeats } : {}) };
}

/**
 * Writes results.json, then the Markdown and HTML reports of the chosen languages, into outDir. A file-system
 * error on results.json throws an OutputError naming it (the previous results.json stays whole). A report that
 * cannot be written is removed rather than left stale, the others are still tried, and then an OutputError
 * naming the first one is thrown with resultsKept.
 */
export async function writeReports(results: RunResults, outDir: string, lang: Lang): Promise<void> {
  const files: [string, () => string][] = [
    ['results.json', () => renderJson(results)],
    ['report.md', () => renderMarkdown(results, 'en')],
    ...(lang !== 'en' ? [['report.ko.md', () => renderMarkdown(results, 'ko')] as [string, () => string]] : []),
    ...htmlReports(results, lang).map(([name, text]) => [name, () => text] as [string, () => string]),
  ];
  let first: OutputError | undefined;
  for (const [i, [name, render]] of files.entries()) {
    const path = join(outDir, name);
    try {
      await writeAtomic(path, render());
    } catch (err) {
      if (!isFsError(err) || i === 0) throw isFsError(err) ? new OutputError(path, err) : err;
      first ??= new OutputError(path, err, true);
      await rm(path, { force: true }).catch(() => undefined);
    }
  }
  if (first) throw first;
}
