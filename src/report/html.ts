// The HTML report: one self-contained file (inline CSS and SVG, no scripts or network) in English or Korean, in a
// reader's order: the document's table, "read this first", the charts and details, the claims last.
import { loadClaims } from '../claims/load.js';
import type { Claim } from '../claims/schema.js';
import type { ClaimVerdict, EnvResult, RunResults } from '../results/schema.js';
import { headlineLines } from './headline.js';
import { measuredText, verdictText, verdictsOf } from './claims-table.js';
import { agreementOf, comparisonTable } from './comparison-table.js';
import { envHeader, envRows, envTitle, factsLine, numberRows, phaseHeader, phaseRows, probeRows } from './env-tables.js';
import { headlineCharts } from './headline-charts.js';
import { spectrumHtml } from './spectrum.js';
import { bySpectrum } from './spectrum-order.js';
import { REPORT_CSS } from './html-style.js';
import { esc, htmlTable, inline, section } from './html-util.js';
import { withLog } from './format.js';
import { hostRows } from './host-rows.js';
import type { Messages } from './i18n/en.js';
import { LANGS, messages, type Lang } from './i18n/index.js';
import { allNotes } from './markdown.js';
import { readFirstLines } from './read-first.js';

/** Renders results as one self-contained HTML page; claims default to the packaged document's. */
export function renderHtml(results: RunResults, lang: Lang, claims: readonly Claim[] = loadClaims()): string {
  const t = messages(lang);
  const verdicts = verdictsOf(results, claims);
  const completed = bySpectrum(results.environments.filter((e) => e.status === 'completed'));
  const box = `<aside class="read-first"><ul>${readFirstLines(results, t).map((l) => `<li>${inline(l)}</li>`).join('')}</ul></aside>`;
  const sections: [string, string, string][] = [
    ['read-first', t.reader.headings.readFirst, box],
    ['table', t.reader.headings.docTable, `<p><strong>${esc(headlineLines(verdicts, claims, t)[0])}</strong></p>\n<p class="legend">${esc(t.html.tableNote)}</p>\n${comparisonTable(claims, verdicts, results.environments, lang, t)}`],
    ['charts', t.html.headings.charts, headlineCharts(results.environments, claims, lang, t)],
    ['envs', t.reader.headings.envs, htmlTable(envHeader(t), envRows(results.environments, t))],
    ['phases', t.reader.headings.phases, completed.length ? htmlTable(phaseHeader(t), phaseRows(completed, t)) : ''],
    ['spectrum', t.spectrum.heading, spectrumHtml(results.environments, t)],
    ['not-run', t.headings.notRun, notRunTable(results.environments, t)],
    ['numbers', t.html.headings.numbers, completed.map((e) => numbersTable(e, t)).join('\n') || esc(t.noMetrics)],
    ['probes', t.headings.probes, completed.map((e) => probesTable(e, t)).join('\n') || esc(t.noProbes)],
    ['notes', t.headings.notes, notesList(results, t)],
    ['host', `${t.headings.host} (${results.host.hostname})`, hostTable(results, t)],
    ['claims', t.headings.claims, claimsTable(verdicts, claims, results.environments, lang, t)],
  ];
  const shown = sections.filter(([, , body]) => body);
  const nav = `<nav aria-label="${esc(t.html.contents)}"><ol>${shown.map(([id, h]) => `<li><a href="#${id}">${inline(h)}</a></li>`).join('')}</ol></nav>`;
  return page(lang, t.title, `${header(results, t)}\n${nav}\n${shown.map(([id, h, body]) => section(id, h, body)).join('\n')}`);
}

/** A complete HTML document around a body, with the report's stylesheet. */
export function page(lang: Lang, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** The HTML report files of a run, as [file name, text]: report.html, plus report.ko.html unless lang is en. */
export function htmlReports(results: RunResults, lang: Lang | 'both'): [string, string][] {
  const langs = lang === 'both' ? LANGS : [lang];
  return langs.map((l) => [l === 'en' ? 'report.html' : `report.${l}.html`, renderHtml(results, l)]);
}

function header(r: RunResults, t: Messages): string {
  const status = r.complete ? '' : `<p class="warn">${esc(r.finishedAt ? t.meta.interrupted : t.meta.running)}</p>`;
  const times = `${t.meta.started}: ${r.startedAt}${r.finishedAt ? ` · ${t.meta.finished}: ${r.finishedAt}` : ''}`;
  return `<header><h1>${esc(t.title)}</h1>
<p class="meta">${esc(`${r.host.hostname} · ${r.host.cpuModel} · ${t.meta.runId} ${r.runId} · ${t.meta.tool} ${r.tool.version}`)}</p>
<p class="meta">${esc(times)}</p>
<p class="meta">${esc(t.meta.settings(r.settings.samples, r.settings.warmups, r.settings.packages.join(', ')))}</p>
${status}</header>`;
}

function claimsTable(verdicts: readonly ClaimVerdict[], claims: readonly Claim[], envs: readonly EnvResult[], lang: Lang, t: Messages): string {
  const byId = new Map(claims.map((c) => [c.id, c]));
  const [cells, all] = headlineLines(verdicts, claims, t);
  const rows = verdicts.map((v) => {
    const claim = byId.get(v.claimId);
    const env = envs.find((e) => e.name === v.env);
    return [
      { html: `<code>${esc(v.claimId)}</code>` },
      claim?.where ?? '',
      claim?.says[lang] ?? '',
      measuredText(v, claim, env, t),
      env?.name ?? '—',
      { html: inline(verdictText(v, claim, envs, lang, t)), cls: `verdict ${agreementOf(v.verdict)}` },
    ];
  });
  const header = [t.cols.claim, t.cols.where, t.cols.says, t.cols.here, t.cols.on, t.cols.verdict];
  return `<p><strong>${esc(cells)}</strong></p>\n<p>${esc(all)}</p>\n${htmlTable(header, rows, 'claims')}`;
}

function numbersTable(env: EnvResult, t: Messages): string {
  const facts = factsLine(env, t);
  const rows = numberRows(env, t);
  const body = rows.length ? htmlTable([t.cols.metric, t.cols.measured, t.cols.minMax, t.cols.method], rows) : `<p>${esc(t.noMetrics)}</p>`;
  return `<h3>${esc(envTitle(env, t))}</h3>\n${facts ? `<p class="meta">${esc(facts)}</p>\n` : ''}${body}`;
}

function probesTable(env: EnvResult, t: Messages): string {
  const rows = probeRows(env, t).map((r) => [r.id, { html: esc(r.label), cls: `verdict ${r.isolated === null ? 'unknown' : r.isolated ? 'agree' : 'disagree'}` }, r.seen]);
  const body = rows.length ? htmlTable([t.cols.probe, t.cols.isolated, t.cols.seen], rows) : `<p>${esc(t.noProbes)}</p>`;
  return `<h3>${esc(envTitle(env, t))}</h3>\n${body}`;
}

function notRunTable(envs: readonly EnvResult[], t: Messages): string {
  const rows = envs
    .filter((e) => e.status !== 'completed')
    .map((e) => [envTitle(e, t), { html: esc(t.status[e.status]), cls: 'verdict disagree' }, e.reason ?? '', { html: withLog(inline(e.fix ?? ''), e.log ? `<a href="${esc(encodeURI(e.log))}">${esc(e.log)}</a>` : undefined, esc(t.fullOutput)) }]);
  return rows.length ? htmlTable([t.cols.env, t.cols.status, t.cols.reason, t.cols.fix], rows) : '';
}

function hostTable(r: RunResults, t: Messages): string {
  return htmlTable([t.cols.item, t.cols.value], hostRows(r.host, t), 'host', true);
}

function notesList(r: RunResults, t: Messages): string {
  const notes = allNotes(r, t);
  return notes.length ? `<ul>${notes.map((n) => `<li>${inline(n)}</li>`).join('')}</ul>` : '';
}
