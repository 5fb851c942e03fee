// Per-environment sections: the environments with their short names, the phases, the numbers and the probes.
import { likeName } from './i18n/likeness.js';
import { HOLDS_FACT_IDS, METRIC_IDS, parseDensityMetricId } from '../claims/metrics.js';
import { emulationOf } from '../claims/emulation.js';
import type { EnvResult, MetricResult } from '../results/schema.js';
import { formatMetric, formatRange, formatValue, table } from './format.js';
import type { Messages } from './i18n/en.js';

/** An environment's heading: its short name and kind ("vm-full — Virtual machine"); the full description is in the environments table. */
export function envTitle(env: EnvResult, t: Messages): string {
  return `${env.name} — ${t.kinds[env.kind]}`;
}

const isPhase = (id: string) => /^start\.phase\..+\.ms$/.test(id);

/** Known metrics first in a fixed order, then the start phases in time order (each is time since start), then any others by id. */
export function orderedMetrics(env: EnvResult): [string, MetricResult][] {
  const known = new Map<string, number>(METRIC_IDS.map((id, i) => [id, i]));
  const rank = (id: string) => known.get(id) ?? (isPhase(id) ? known.size : known.size + 1);
  return Object.entries(env.metrics).sort(
    ([a, ma], [b, mb]) => rank(a) - rank(b) || (isPhase(a) && isPhase(b) ? ma.value - mb.value : 0) || a.localeCompare(b),
  );
}

/** A metric's name in the report's language (its id when unknown). */
export function metricName(id: string, t: Messages): string {
  const phase = /^start\.phase\.(.+)\.ms$/.exec(id);
  if (phase) return t.phase(phase[1]!);
  const density = parseDensityMetricId(id);
  if (density) return t.density(density.k, density.part);
  return (t.metrics as Record<string, string>)[id] ?? id;
}

/** The rows of the environments table: short name, kind, full description, Python, acceleration. */
export function envRows(envs: readonly EnvResult[], t: Messages): string[][] {
  return envs.map((e) => [e.name, t.kinds[e.kind], t.reader.describe(e.label, e.facts, e.plan?.reason), e.facts['python.version'] ?? '—', e.facts['vm.accel'] ?? '—']);
}

/** The header of the environments table. */
export function envHeader(t: Messages): string[] {
  const c = t.reader.envCols;
  return [c.name, c.kind, c.what, c.python, c.accel];
}

/** An environment's facts on one line, in the report's language (yes/no facts with their evidence). */
export function factsLine(env: EnvResult, t: Messages): string {
  const holds = new Set<string>(HOLDS_FACT_IDS);
  return Object.entries(env.facts)
    .filter(([k]) => !k.startsWith('vm.') || k === 'vm.accel')
    .map(([k, v]) => `${t.facts[k] ?? k} ${holds.has(k) ? t.reader.runNote(v) : k === 'subject' ? likeName(t.likeness.on, v) : v}`)
    .join(' · ');
}

/** The rows of one environment's numbers: name, median with CI, min–max, how measured (in the report's language). */
export function numberRows(env: EnvResult, t: Messages): string[][] {
  return orderedMetrics(env).map(([id, m]) => {
    const outliers = m.stats?.outliers.length ? ` ⚠ ${t.outliers(m.stats.outliers.length)}` : '';
    const spread = m.stats && m.stats.n > 1 ? formatRange(m.stats.min, m.stats.max, m.unit) : '';
    return [metricName(id, t), formatMetric(m, t.ci) + outliers, spread, t.reader.method(id, m.method)];
  });
}

/** The numbers of one environment: median with CI and n, min–max, outliers, and how it was measured. */
export function summaryTable(env: EnvResult, t: Messages): string {
  const facts = factsLine(env, t);
  const rows = numberRows(env, t);
  const body = rows.length ? table([t.cols.metric, t.cols.measured, t.cols.minMax, t.cols.method], rows) : t.noMetrics;
  return [`### ${envTitle(env, t)}`, ...(facts ? [facts] : []), body].join('\n\n');
}

/** The rows of one environment's probes: probe, isolated?, what was seen (in the report's language). */
export function probeRows(env: EnvResult, t: Messages): { id: string; isolated: boolean | null; label: string; seen: string }[] {
  return env.probes.map((p) => ({
    id: t.probes[p.id],
    isolated: p.isolated,
    label: p.isolated === null ? t.probeIsolated.unknown : p.isolated ? t.probeIsolated.yes : t.probeIsolated.no,
    seen: t.reader.probeSummary(p),
  }));
}

/** The isolation probes of one environment: probe | isolated? | what was seen. */
export function probesTable(env: EnvResult, t: Messages): string {
  const rows = probeRows(env, t).map((r) => [r.id, r.label, r.seen]);
  const body = rows.length ? table([t.cols.probe, t.cols.isolated, t.cols.seen], rows) : t.noProbes;
  return [`### ${envTitle(env, t)}`, body].join('\n\n');
}

const ms = (env: EnvResult, id: string) => env.metrics[id];
const shown = (m: MetricResult | undefined) => (m ? formatValue(m.value, m.unit) : '—');

/**
 * What create, install and start mean in one row, from its own record: a create far shorter than an image build it
 * rests on is a lookup; an install timed at image build is not this run's, one that is an image build says so; a pip install against an index many times
 * slower than the fastest install of the run may be waiting on an unreachable index; a start under TCG is emulated.
 */
export function phaseMeaning(env: EnvResult, all: readonly EnvResult[], t: Messages): string {
  const p = t.reader.phase;
  const out: string[] = [];
  const create = ms(env, 'create.ms');
  const build = ms(env, 'vm.image.build.ms');
  if (create && create.value < 50) out.push(build ? p.lookup(formatValue(build.value, build.unit)) : p.lookupNoBuild);
  const install = ms(env, 'install.ms');
  const method = install?.method ?? env.steps.find((st) => st.step === 'install')?.method ?? '';
  const offline = /--no-index|wheelhouse/.test(`${method} ${env.notes.join(' ')}`);
  if (/vagrant up --no-provision/.test(create?.method ?? '')) out.push(p.fromBox);
  if (/at image build|not in this run/.test(method)) out.push(p.atBuild);
  else if (/\bvagrant provision\b/.test(method)) out.push(p.provisioned);
  else if (/^cached Engine API build/.test(method)) out.push(p.cachedBuild);
  else if (!install && /debootstrap/.test(method)) out.push(p.preinstalled);
  else if (/\bbuild\b/.test(method)) out.push(p.imageBuild(offline));
  const retried = /includes (\d+) retries of an index pip could not reach/.exec(method);
  const fastest = Math.min(...all.flatMap((e) => (e.status === 'completed' && e.metrics['install.ms'] ? [e.metrics['install.ms'].value] : [])));
  if (retried) out.push(p.pipRetried(Number(retried[1])));
  else if (install && /\bpip install\b/.test(method) && !offline && install.value >= 3 * fastest && fastest > 0) out.push(p.pipIndex(formatValue(fastest, 'ms')));
  if (/halted, already provisioned machine/.test(ms(env, 'ready.python.ms')?.method ?? '')) out.push(p.restarted);
  if (emulationOf(env)) out.push(p.emulated);
  return out.length ? out.join('; ') : p.same;
}

/** The phases of every completed environment side by side, each row saying what its phases mean. */
export function phaseRows(envs: readonly EnvResult[], t: Messages): string[][] {
  return envs.map((e) => [e.name, shown(ms(e, 'create.ms')), shown(ms(e, 'install.ms')), shown(ms(e, 'ready.python.ms')), phaseMeaning(e, envs, t)]);
}

/** The header of the phases table. */
export function phaseHeader(t: Messages): string[] {
  const c = t.reader.phaseCols;
  return [c.env, c.create, c.install, c.start, c.means];
}
