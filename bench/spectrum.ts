// The spectrum rows' cost: one warm `isobench run --only docker` (Docker, rootless Podman, gVisor rows), each row's
// ready time, memory and disk side by side with their intervals, and the wall time the Podman and gVisor rows add.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, fmtBytes, fmtMs, type BenchOptions, type Row, type SectionResult } from './lib.js';
import type { EnvResult, MetricResult, RunResults } from '../src/results/schema.js';

/** The two rows together may add this much to the warm default run (issue target). */
const ADDED_TARGET_MS = 120_000;
const BASE_ROW = 'docker-requests';
const METRICS = ['ready.python.ms', 'instance.up.ms', 'python.maxrss.bytes', 'memory.processes.bytes', 'memory.container.bytes', 'image.bytes'] as const;

/** A metric as "median [CI lo–hi, coverage] n", or its single value. */
export function withInterval(m: MetricResult | undefined): string {
  if (!m) return '—';
  const f = m.unit === 'bytes' ? fmtBytes : m.unit === 'ms' ? fmtMs : String;
  const ci = m.stats?.ci95 ? ` [95% CI ${f(m.stats.ci95[0])}–${f(m.stats.ci95[1])}, coverage ${((m.stats.ciCoverage ?? 0) * 100).toFixed(1)}%, n=${m.stats.n}]` : m.stats ? ` (n=${m.stats.n}, no interval)` : '';
  return `${f(m.value)}${ci}`;
}

/** Per completed Docker-driver row: its steps' total ms and the metrics above; and the ms the rows other than Docker's add. */
export function spectrumFigures(results: RunResults): { rows: { env: EnvResult; stepsMs: number }[]; addedMs: number } {
  const rows = results.environments.filter((e) => e.kind === 'docker').map((env) => ({ env, stepsMs: env.steps.reduce((a, s) => a + s.durationMs, 0) }));
  return { rows, addedMs: rows.filter((r) => r.env.name !== BASE_ROW).reduce((a, r) => a + r.stepsMs, 0) };
}

/** The section: one warm run of the Docker kinds (the images exist after `images build docker`). */
export async function spectrum(opts: BenchOptions): Promise<SectionResult> {
  const out = await mkdtemp(join(tmpdir(), 'isobench-bench-spectrum-'));
  try {
    opts.log('spectrum: isobench run --only docker (Docker, rootless Podman, gVisor rows)');
    const r = await cli(['run', '--only', 'docker', '--lang', 'en', '--out', join(out, 'run'), ...(opts.samples ? ['--samples', String(opts.samples)] : opts.quick ? ['--samples', '3'] : [])], {}, opts.childWait);
    const results = JSON.parse(await readFile(join(out, 'run', 'results.json'), 'utf8')) as RunResults;
    const { rows, addedMs } = spectrumFigures(results);
    const skipped = results.environments.filter((e) => e.kind === 'docker' && e.status !== 'completed').map((e) => `spectrum: ${e.name} ${e.status}: ${e.reason ?? ''}`);
    const table: Row[] = rows.map(({ env, stepsMs }) => ({
      section: 'spectrum',
      what: env.name,
      isobench: `ready ${withInterval(env.metrics['ready.python.ms'])}`,
      reference: `workload RSS ${withInterval(env.metrics['python.maxrss.bytes'])}; cgroup ${withInterval(env.metrics['memory.container.bytes'])}; image ${withInterval(env.metrics['image.bytes'])}`,
      result: `its steps ${fmtMs(stepsMs)}`,
      target: env.name === BASE_ROW ? 'baseline' : 'measured (sum below)',
      met: null,
    }));
    table.push({ section: 'spectrum', what: 'Podman + gVisor rows added', isobench: fmtMs(addedMs), reference: `whole run ${fmtMs(r.ms)}`, result: fmtMs(addedMs), target: `≤ ${fmtMs(ADDED_TARGET_MS)}`, met: addedMs <= ADDED_TARGET_MS });
    const data = Object.fromEntries(rows.map(({ env, stepsMs }) => [env.name, { label: env.label, stepsMs, metrics: Object.fromEntries(METRICS.map((id) => [id, env.metrics[id] ?? null])) }]));
    return { rows: table, data: { ...data, addedMs, wallMs: r.ms, exitCode: r.exitCode }, skipped };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
