// The spectrum table: one row a step (least to most isolated), the same quantities in each: what the step costs
// (ready, disk, memory) and what it buys (which kernel answers, what root inside is, how many pieces of probe evidence found isolation).
import { emulationOf } from '../claims/emulation.js';
import { securityView } from '../claims/security.js';
import type { EnvResult } from '../results/schema.js';
import { table, formatMetric } from './format.js';
import { HEADLINES } from './headline-charts.js';
import { evidenceTally } from './probe-tally.js';
import { esc, htmlTable } from './html-util.js';
import type { Messages } from './i18n/en.js';
import { bySpectrum, stepOf } from './spectrum-order.js';

/** The cells of one completed row, as plain text. */
export function spectrumRow(env: EnvResult, t: Messages): string[] {
  const cost = (h: keyof typeof HEADLINES) => {
    const id = HEADLINES[h].metric[env.kind];
    const m = env.metrics[id];
    // A number a sandbox's own kernel counted (gVisor's /proc) says so beside it: it is not the host's view.
    const seenBy = id === 'memory.processes.bytes' && env.facts['memory.processes.seenBy'] === 'sandbox-kernel' ? ` (${t.spectrum.sandboxCounted})` : '';
    // A VM's time under TCG is the emulator's, not a hypervisor's: the cell says so.
    const emulated = HEADLINES[h].unit === 'ms' && emulationOf(env) ? ` (${t.reader.emulatedLabel})` : '';
    return m ? formatMetric(m, t.ci) + seenBy + emulated : '—';
  };
  const v = securityView(env);
  const tally = evidenceTally(env.probes);
  const s = t.spectrum;
  const root = v.rootOnHost === null ? s.root.unmeasured! : v.rootOnHost ? s.root['host-root']! : s.root.unprivileged!;
  return [
    `${s.steps[stepOf(env)] ?? stepOf(env)} (${env.name})`,
    cost('start'),
    cost('disk'),
    cost('memory'),
    cost('hostMemory'),
    s.kernel[v.kernel ?? 'unmeasured']!,
    root,
    s.isolatedOf(tally.isolated, tally.of),
  ];
}

function header(t: Messages): string[] {
  const c = t.spectrum.cols;
  return [c.step, c.ready, c.disk, c.memory, c.hostMemory, c.kernel, c.root, c.isolated];
}

const completed = (envs: readonly EnvResult[]) => bySpectrum(envs.filter((e) => e.status === 'completed'));

/** The Markdown section, or '' when no row completed. */
export function spectrumMarkdown(envs: readonly EnvResult[], t: Messages): string {
  const rows = completed(envs).map((e) => spectrumRow(e, t));
  if (!rows.length) return '';
  return `## ${t.spectrum.heading}\n\n${t.spectrum.intro}\n\n${table(header(t), rows)}`;
}

/** The HTML section body, or '' when no row completed. */
export function spectrumHtml(envs: readonly EnvResult[], t: Messages): string {
  const rows = completed(envs).map((e) => spectrumRow(e, t));
  if (!rows.length) return '';
  return `<p class="legend">${esc(t.spectrum.intro)}</p>\n${htmlTable(header(t), rows, 'spectrum')}`;
}
