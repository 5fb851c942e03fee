// `isobench report FILE...`: re-render one results file, or compare several; --baseline flags regressions.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '../config/errors.js';
import { CleanupStack } from '../lifecycle/cleanup.js';
import { newRunId } from '../lifecycle/labels.js';
import { registerLive } from '../lifecycle/manifest.js';
import { loadClaims } from '../claims/load.js';
import { runResultsSchema, SCHEMA_VERSION, type RunResults } from '../results/schema.js';
import { upgradeResults } from '../results/upgrade.js';
import { isFsError, OutputError, prepareOutDir, writeAtomic } from '../run/output.js';
import { compareBaseline, formatDelta, parseThreshold } from '../report/baseline.js';
import { machinesOf, renderCompareHtml, renderCompareJson, renderCompareMarkdown } from '../report/compare.js';
import { renderHtml } from '../report/html.js';
import { LANGS, type Lang } from '../report/i18n/index.js';
import { renderJson } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';

/** The options `isobench report` accepts (node:util parseArgs). */
export const REPORT_OPTIONS = {
  format: { type: 'string' },
  out: { type: 'string' },
  lang: { type: 'string' },
  baseline: { type: 'string' },
  threshold: { type: 'string' },
  junit: { type: 'string' },
} as const;

type Format = 'md' | 'html' | 'json';
interface Parsed {
  values: { [K in keyof typeof REPORT_OPTIONS]?: string };
  positionals: string[];
}

/** Reads and validates a results file; a missing or invalid one is a usage error naming the file and the schema path. */
export async function readResults(path: string): Promise<RunResults> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new UserError('usage', `${path}: cannot read the results file (${err.code ?? err.message})`);
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UserError('usage', `${path}: not JSON (${(err as Error).message})`);
  }
  const parsed = runResultsSchema.safeParse(upgradeResults(data));
  if (parsed.success) return parsed.data;
  const [first, ...rest] = parsed.error.issues;
  const more = rest.length ? ` (+${rest.length} more)` : '';
  throw new UserError('usage', `${path}: not isobench results (schema v${SCHEMA_VERSION}): ${first!.path.join('.') || '(root)'}: ${first!.message}${more}`);
}

/** The rendered files: one results file is re-rendered, several are compared side by side. */
function render(runs: RunResults[], format: Format, langs: readonly Lang[]): [string, string][] {
  const claims = loadClaims();
  const name = (l: Lang) => (l === 'en' ? `report.${format}` : `report.${l}.${format}`);
  if (runs.length === 1) {
    const [r] = runs as [RunResults];
    if (format === 'json') return [['results.json', renderJson(r)]];
    return langs.map((l) => [name(l), format === 'html' ? renderHtml(r, l, claims) : renderMarkdown(r, l, claims)]);
  }
  const machines = machinesOf(runs);
  if (format === 'json') return [['compare.json', renderCompareJson(machines, claims)]];
  return langs.map((l) => [name(l), format === 'html' ? renderCompareHtml(machines, l, claims) : renderCompareMarkdown(machines, l, claims)]);
}

/** Regressions of each run against the baseline, printed on stderr; true when one was found. */
function checkBaseline(files: string[], runs: RunResults[], baseline: RunResults, threshold: number): boolean {
  let regressed = false;
  runs.forEach((r, i) => {
    const all = compareBaseline(baseline, r, threshold);
    const deltas = all.filter((d) => d.status === 'regressed' || d.status === 'improved');
    const worse = deltas.filter((d) => d.status === 'regressed');
    const unjudged = all.filter((d) => d.status === 'not-judged');
    regressed ||= worse.length > 0;
    process.stderr.write(`${files[i]}: ${worse.length} regression(s) beyond ${(threshold * 100).toFixed(0)}% of the baseline median\n`);
    for (const d of deltas) process.stderr.write(`  ${d.status === 'regressed' ? 'REGRESSED' : 'improved '} ${formatDelta(d)}\n`);
    if (unjudged.length)
      process.stderr.write(`  not judged (no 95% interval on one side: a single value or under 6 samples): ${unjudged.map((d) => `${d.env} ${d.metric}`).join(', ')}\n`);
  });
  return regressed;
}

function options(v: Parsed['values']): { format: Format; langs: readonly Lang[]; threshold: number } {
  const format = (v.format ?? 'md') as Format;
  if (!['md', 'html', 'json'].includes(format)) throw new UserError('usage', `--format: expected md, html or json, got "${v.format}"`);
  const lang = v.lang ?? (v.out ? 'both' : 'en');
  if (!['en', 'ko', 'both'].includes(lang)) throw new UserError('usage', `--lang: expected en, ko or both, got "${lang}"`);
  if (lang === 'both' && !v.out && format !== 'json') throw new UserError('usage', '--lang both writes two reports: add --out DIR, or pick --lang en|ko for stdout');
  const threshold = parseThreshold(v.threshold ?? '10%');
  if (threshold === undefined) throw new UserError('usage', `--threshold: expected a percentage such as 10%, got "${v.threshold}"`);
  if (v.threshold !== undefined && !v.baseline) throw new UserError('usage', '--threshold needs --baseline OLD.json');
  return { format, langs: lang === 'both' ? LANGS : [lang as Lang], threshold };
}

/** Runs `isobench report`: exit 0 ok, 1 a regression against --baseline, 2 usage or a bad results file. */
export async function reportCommand(parsed: Parsed): Promise<number> {
  // Live like every isobench process: its manifest says so to a cleanup running meanwhile.
  const cleanup = new CleanupStack();
  await registerLive(`report-${newRunId()}`, cleanup, { purpose: 'report' }).catch(() => undefined); // best effort: it creates nothing cleanup removes
  try {
    return await report(parsed);
  } finally {
    await cleanup.runAll();
  }
}

/** writeAtomic, with a file-system error as one line naming the file. */
async function writeOutput(path: string, text: string): Promise<void> {
  await writeAtomic(path, text).catch((err: unknown) => {
    throw isFsError(err) ? new OutputError(path, err) : err;
  });
}

async function report({ values: v, positionals: files }: Parsed): Promise<number> {
  if (files.length === 0) throw new UserError('usage', 'report needs at least one results.json; see isobench --help');
  const { format, langs, threshold } = options(v);
  const runs = await Promise.all(files.map(readResults));
  const baseline = v.baseline ? await readResults(v.baseline) : undefined;
  const outputs = render(runs, format, langs);
  if (v.out) {
    const dir = await prepareOutDir(v.out);
    for (const [name, text] of outputs) await writeOutput(join(dir, name), text);
    process.stderr.write(`wrote ${outputs.map(([n]) => join(dir, n)).join(', ')}\n`);
  } else {
    process.stdout.write(outputs[0]![1]);
  }
  if (v.junit) {
    const xml = renderJunit(runs.map((r, i) => ({ name: files[i]!, results: r })), loadClaims());
    await mkdir(dirname(v.junit), { recursive: true }).catch((err: unknown) => {
      throw isFsError(err) ? new OutputError(dirname(v.junit!), err) : err;
    });
    await writeOutput(v.junit, xml);
  }
  return baseline && checkBaseline(files, runs, baseline, threshold) ? 1 : 0;
}
