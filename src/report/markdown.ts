// The Markdown report: run meta, host, numbers per environment, claims with verdicts, probes, notes.
import { loadClaims } from '../claims/load.js';
import type { Claim } from '../claims/schema.js';
import type { RunResults } from '../results/schema.js';
import { claimsSection } from './claims-table.js';
import { envTitle, probesTable, summaryTable } from './env-tables.js';
import { table } from './format.js';
import { hostRows } from './host-rows.js';
import { spectrumMarkdown } from './spectrum.js';
import { bySpectrum } from './spectrum-order.js';
import type { Messages } from './i18n/en.js';
import { messages, type Lang } from './i18n/index.js';

/** Renders results as Markdown in English or Korean; claims default to the packaged document's. */
export function renderMarkdown(results: RunResults, lang: Lang, claims: readonly Claim[] = loadClaims()): string {
  const t = messages(lang);
  const completed = bySpectrum(results.environments.filter((e) => e.status === 'completed'));
  const sections = [
    metaSection(results, t),
    hostSection(results, t),
    spectrumMarkdown(results.environments, t),
    `## ${t.headings.summary}\n\n${completed.map((e) => summaryTable(e, t)).join('\n\n') || t.noMetrics}`,
    claimsSection(results, claims, lang, t),
    `## ${t.headings.probes}\n\n${completed.map((e) => probesTable(e, t)).join('\n\n') || t.noProbes}`,
    notRunSection(results, t),
    notesSection(results, t),
  ];
  return `${sections.filter(Boolean).join('\n\n')}\n`;
}

function metaSection(r: RunResults, t: Messages): string {
  const status = r.complete ? t.meta.complete : r.finishedAt ? t.meta.interrupted : t.meta.running;
  const lines = [
    `${t.meta.runId}: \`${r.runId}\` · ${t.meta.tool} ${r.tool.version}`,
    `${t.meta.started}: ${r.startedAt}${r.finishedAt ? ` · ${t.meta.finished}: ${r.finishedAt}` : ''}`,
    t.meta.settings(r.settings.samples, r.settings.warmups, r.settings.packages.join(', ')),
    r.complete ? status : `**${status}**`,
  ];
  return `# ${t.title}\n\n${lines.map((l) => `- ${l}`).join('\n')}`;
}

function hostSection(r: RunResults, t: Messages): string {
  const h = r.host;
  const rows = hostRows(h, t);
  return `## ${t.headings.host} (${h.hostname})\n\n${table([t.cols.item, t.cols.value], rows)}`;
}

function notRunSection(r: RunResults, t: Messages): string {
  const rows = r.environments
    .filter((e) => e.status !== 'completed')
    .map((e) => [envTitle(e, t), t.status[e.status], e.reason ?? '', e.fix ?? '']);
  if (!rows.length) return '';
  return `## ${t.headings.notRun}\n\n${table([t.cols.env, t.cols.status, t.cols.reason, t.cols.fix], rows)}`;
}

function notesSection(r: RunResults, t: Messages): string {
  const notes = [...r.notes, ...r.environments.flatMap((e) => e.notes.map((n) => `${e.name}: ${n}`))];
  if (!notes.length) return '';
  return `## ${t.headings.notes}\n\n${notes.map((n) => `- ${n}`).join('\n')}`;
}
