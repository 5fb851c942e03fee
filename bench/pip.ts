// Where the venv's install time goes: pip as isobench runs it (this machine's pip configuration) vs from a local wheelhouse.
import { join } from 'node:path';
import { readFile, rm } from 'node:fs/promises';
import { pipInstallArgv } from '../src/drivers/venv/pip.js';
import { runOk } from '../src/lifecycle/process.js';
import { fmtMs, type BenchOptions, type SectionResult } from './lib.js';

/** The pauses of a pip --log file: each line's text and the ms until the next line. */
function logGaps(log: string): { ms: number; after: string }[] {
  const lines = log.split('\n').flatMap((l) => {
    const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d,\d{3}) (.*)$/.exec(l);
    return m ? [{ t: Date.parse(m[1]!.replace(',', '.') + 'Z'), text: m[2]! }] : [];
  });
  return lines.slice(1).map((l, i) => ({ ms: l.t - lines[i]!.t, after: lines[i]!.text }));
}

/** Where a pip --log's time went: its retries of unreachable indexes (count, ms waited) and its longest pauses. */
export function pipLogSummary(log: string): { retries: number; retryMs: number; longest: { ms: number; after: string }[] } {
  const gaps = logGaps(log);
  const retrying = gaps.filter((g) => /Retrying \(Retry\(/.test(g.after));
  return {
    retries: retrying.length,
    retryMs: retrying.reduce((a, g) => a + g.ms, 0),
    longest: [...gaps].sort((a, b) => b.ms - a.ms).slice(0, 3).map((g) => ({ ms: g.ms, after: scrub(g.after) })),
  };
}

/** Removes addresses and paths from a log line (notes must not name a machine's paths or a registry's host). */
export function scrub(text: string): string {
  return text
    .replace(/[a-z+]+:\/\/\S+/gi, '<url>')
    .replace(/host='[^']*'/g, "host='<host>'")
    .replace(/(^|\s)\/\S+/g, '$1<path>')
    .trim()
    .slice(0, 120);
}

async function timedInstall(python: string, argv: string[], ctx: BenchOptions['ctx']): Promise<number> {
  return (await runOk(argv, { step: `pip install (${python})`, timeoutMs: ctx.config.timeouts.stepSec * 1000 })).durationMs;
}

/** Two fresh venvs: one installs as `isobench run` does, one with --no-index from the wheelhouse; the difference is index and network time. */
export async function pipBreakdown(opts: BenchOptions, wheelhouse: string | undefined): Promise<SectionResult> {
  if (opts.quick) return { rows: [], data: {}, skipped: ['pip breakdown (--quick)'] };
  const { ctx } = opts;
  const mk = async (name: string) => {
    const dir = join(ctx.workDir, name);
    await runOk(['python3', '-m', 'venv', dir], { step: 'venv', timeoutMs: 120_000 });
    return join(dir, 'bin', 'python');
  };
  const a = await mk('pip-default');
  const log = join(ctx.workDir, 'pip.log');
  opts.log('pip: install requests with the default pip configuration (as isobench run)');
  const asRun = await timedInstall(a, [...pipInstallArgv(a, ctx.config.packages, { ...ctx.config.pip, wheelhouse: undefined }), '--log', log], ctx);
  const summary = pipLogSummary(await readFile(log, 'utf8').catch(() => ''));
  await rm(log, { force: true });
  const b = await mk('pip-wheelhouse');
  const local = wheelhouse ? await timedInstall(b, pipInstallArgv(b, ctx.config.packages, { ...ctx.config.pip, wheelhouse }), ctx) : Number.NaN;
  return {
    rows: [
      {
        section: 'pip',
        what: `venv install of ${ctx.config.packages.join(' ')}: this machine's pip configuration vs --no-index from a wheelhouse`,
        isobench: fmtMs(asRun),
        reference: Number.isNaN(local) ? 'no wheelhouse' : `${fmtMs(local)} (wheelhouse)`,
        result: `${Number.isNaN(local) ? '' : `${fmtMs(asRun - local)} more than offline; `}${summary.retries} retries of an unreachable index waited ${fmtMs(summary.retryMs)}`,
        target: 'explains the venv target',
        met: null,
      },
    ],
    data: { asRunMs: asRun, wheelhouseMs: local, ...summary },
    skipped: [],
  };
}
