// The Markdown report, in a reader's order: the document's table, "read this first", the details, the claims last.
import { loadClaims } from '../claims/load.js';
import type { Claim } from '../claims/schema.js';
import type { RunResults } from '../results/schema.js';
import { measuredText, verdictText, verdictsOf } from './claims-table.js';
import { comparisonTableMarkdown } from './comparison-table.js';
import { envHeader, envRows, envTitle, phaseHeader, phaseRows, probesTable, summaryTable } from './env-tables.js';
import { table, withLog } from './format.js';
import { headlineLines } from './headline.js';
import { hostRows } from './host-rows.js';
import { spectrumMarkdown } from './spectrum.js';
import { bySpectrum } from './spectrum-order.js';
import type { Messages } from './i18n/en.js';
import { messages, type Lang } from './i18n/index.js';
import { readFirstLines } from './read-first.js';

/** Renders results as Markdown in English or Korean; claims default to the packaged document's. */
export function renderMarkdown(results: RunResults, lang: Lang, claims: readonly Claim[] = loadClaims()): string {
  const t = messages(lang);
  const completed = bySpectrum(results.environments.filter((e) => e.status === 'completed'));
  const verdicts = verdictsOf(results, claims);
  const sections = [
    metaSection(results, t),
    `## ${t.reader.headings.readFirst}\n\n${readFirstLines(results, t).map((l) => `> - ${l}`).join('\n')}`,
    `## ${t.reader.headings.docTable}\n\n**${headlineLines(verdicts, claims, t)[0]}**\n\n${comparisonTableMarkdown(claims, verdicts, results.environments, lang, t)}`,
    `## ${t.reader.headings.envs}\n\n${table(envHeader(t), envRows(results.environments, t))}`,
    completed.length ? `## ${t.reader.headings.phases}\n\n${table(phaseHeader(t), phaseRows(completed, t))}` : '',
    spectrumMarkdown(results.environments, t),
    `## ${t.headings.summary}\n\n${completed.map((e) => summaryTable(e, t)).join('\n\n') || t.noMetrics}`,
    `## ${t.headings.probes}\n\n${completed.map((e) => probesTable(e, t)).join('\n\n') || t.noProbes}`,
    notRunSection(results, t),
    notesSection(results, t),
    hostSection(results, t),
    claimsSection(results, claims, lang, t),
  ];
  return `${sections.filter(Boolean).join('\n\n')}\n`;
}

/** The claims section: verdict counts and one row per verdict. */
function claimsSection(results: RunResults, claims: readonly Claim[], lang: Lang, t: Messages): string {
  const byId = new Map(claims.map((c) => [c.id, c]));
  const verdicts = verdictsOf(results, claims);
  const [cells, all] = headlineLines(verdicts, claims, t);
  const rows = verdicts.map((v) => {
    const claim = byId.get(v.claimId);
    const env = results.environments.find((e) => e.name === v.env);
    return [`\`${v.claimId}\``, claim?.where ?? '', claim?.says[lang] ?? '', measuredText(v, claim, env, t), env?.name ?? '—', verdictText(v, claim, results.environments, lang, t)];
  });
  const header = [t.cols.claim, t.cols.where, t.cols.says, t.cols.here, t.cols.on, t.cols.verdict];
  return [`## ${t.headings.claims}`, `**${cells}**`, all, table(header, rows)].join('\n\n');
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
  const rows = hostRows(r.host, t);
  return `## ${t.headings.host} (${r.host.hostname})\n\n${table([t.cols.item, t.cols.value], rows)}`;
}

function notRunSection(r: RunResults, t: Messages): string {
  const rows = r.environments
    .filter((e) => e.status !== 'completed')
    .map((e) => [envTitle(e, t), t.status[e.status], e.reason ?? '', withLog(e.fix ?? '', e.log ? `[${e.log}](${encodeURI(e.log)})` : undefined, t.fullOutput)]);
  if (!rows.length) return '';
  return `## ${t.headings.notRun}\n\n${table([t.cols.env, t.cols.status, t.cols.reason, t.cols.fix], rows)}`;
}

/** The run's notes and each environment's, in the report's language where the words are known. */
export function allNotes(r: RunResults, t: Messages): string[] {
  return [...r.notes.map((n) => t.reader.runNote(n)), ...r.environments.flatMap((e) => e.notes.map((n) => `${e.name}: ${t.reader.runNote(n)}`))];
}

function notesSection(r: RunResults, t: Messages): string {
  const notes = allNotes(r, t);
  if (!notes.length) return '';
  return `## ${t.headings.notes}\n\n${notes.map((n) => `- ${n}`).join('\n')}`;
}
