// The class page: the comparison table tallied over every machine, dot charts, and the list of machines with their state.
import type { Claim } from '../claims/schema.js';
import type { ClassMachine } from '../class/submission.js';
import { classDotCharts, type LabelledRun } from './class-dots.js';
import { classComparisonTable } from './class-tally.js';
import { page } from './html.js';
import { esc, htmlTable, section, type Cell } from './html-util.js';
import type { Messages } from './i18n/en.js';
import { messages, type Lang } from './i18n/index.js';

export interface ClassPageOptions {
  lang: Lang;
  claims: readonly Claim[];
  /** The one-line command students type; shown at the top while the class is live. */
  joinCommand?: string;
  /** Links between the full view and the projection view (live server only). */
  modeLinks?: boolean;
  /** Keys of machines listed as "could not be drawn", left out of the table and the charts. */
  undrawable?: ReadonlySet<string>;
}

/** Longest host name, environment label or step the page prints (the rest is cut, with an ellipsis). */
export const PAGE_TEXT_MAX = 48;

/** Text cut to at most max characters (counted in code points), with an ellipsis when cut. */
export function clip(text: string, max = PAGE_TEXT_MAX): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

/**
 * Labels for machines: the host name as the page prints it, numbered in the order the machines arrived where two or
 * more print the same (a look-alike sent later cannot take an earlier machine's number). Machines come in arrival order.
 */
export function machineLabels(machines: readonly ClassMachine[]): Map<string, string> {
  const shown = (m: ClassMachine) => clip(m.results.host.hostname.normalize('NFKC'));
  const count = new Map<string, number>();
  for (const m of machines) count.set(shown(m), (count.get(shown(m)) ?? 0) + 1);
  const seen = new Map<string, number>();
  return new Map(
    machines.map((m) => {
      const name = shown(m);
      const n = (seen.get(name) ?? 0) + 1;
      seen.set(name, n);
      return [m.key, count.get(name)! > 1 ? `${name} #${n}` : name];
    }),
  );
}

/** The class page's extra styles: dots, the machine list, and the projection mode. */
export const CLASS_CSS = `
.join { font-size: 1.2rem; background: var(--card); border-left: 6px solid var(--venv); padding: 0.5rem 1rem; }
.join code { font-size: 1.1em; user-select: all; }
.modes a { color: var(--venv); }
svg .dot { stroke: var(--bg); stroke-width: 1.5; fill-opacity: 0.8; }
svg .dot-venv { fill: var(--venv); } svg .dot-docker { fill: var(--docker); } svg .dot-vm { fill: var(--vm); }
.tally > span { display: block; }
.class-table .measured { font-size: 1.2em; }
.class-table .mark { font-weight: 400; font-size: 0.85em; color: var(--muted); }
.state-running { background: var(--close-bg); } .state-done { background: var(--agree-bg); } .state-failed { background: var(--disagree-bg); }
.machines { font-size: 0.9rem; }
.projection body { max-width: none; font-size: 27px; padding: 0.5rem 1.25rem; }
.projection #charts, .projection #machines, .projection .modes .to-projection, .projection #table .legend, .projection #table h2 { display: none; }
.projection header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 1.5rem; }
.projection h1 { font-size: 1.5rem; margin: 0; }
.projection .join { margin: 0.3rem 0; font-size: 1.1rem; padding: 0.2rem 0.8rem; }
.projection .modes { margin: 0; font-size: 0.8rem; }
.projection .class-table td, .projection .class-table th { padding: 0.15rem 0.5rem; }
.projection .tally { display: flex; flex-wrap: wrap; align-items: baseline; column-gap: 0.8em; }
.projection .tally .measured { order: -1; flex-basis: 100%; font-size: 1.25em; }
html:not(.projection) .modes .to-full { display: none; }
`;

function machineRows(machines: readonly ClassMachine[], labels: ReadonlyMap<string, string>, undrawable: ReadonlySet<string>, t: Messages): Cell[][] {
  return [...machines]
    .sort((a, b) => labels.get(a.key)!.localeCompare(labels.get(b.key)!))
    .map((m) => {
      if (undrawable.has(m.key)) return [{ html: esc(labels.get(m.key)!) }, { html: esc(t.classroom.undrawable), cls: 'state-failed' }, { html: '—' }, { html: '—' }, { html: esc(m.updatedAt.slice(11, 19)) }];
      const state = `${t.classroom.state[m.state]}${m.state === 'running' && m.step ? `: ${clip(m.step, 80)}` : ''}`;
      const envs = m.results.environments.map((e) => `${clip(e.label)} ${t.status[e.status]}`).join(' · ');
      const h = m.results.host;
      return [
        { html: esc(labels.get(m.key)!) },
        { html: esc(state), cls: `state-${m.state}` },
        { html: esc(envs || '—') },
        { html: esc(`${clip(h.cpuModel, 80)} · ${h.cores}`) },
        { html: esc(m.updatedAt.slice(11, 19)) },
      ];
    });
}

/** The whole class page (self-contained: inline CSS and SVG, no scripts, nothing loaded from the network). */
export function renderClassPage(machines: readonly ClassMachine[], opts: ClassPageOptions): string {
  const t = messages(opts.lang);
  const labels = machineLabels(machines);
  const undrawable = opts.undrawable ?? new Set<string>();
  const drawn = machines.filter((m) => !undrawable.has(m.key));
  const runs: LabelledRun[] = drawn.map((m) => ({ label: labels.get(m.key)!, results: m.results }));
  const join = opts.joinCommand ? `<p class="join">${esc(t.classroom.join)}: <code>${esc(opts.joinCommand)}</code></p>` : '';
  const modes = opts.modeLinks
    ? `<p class="modes"><a class="to-projection" href="?mode=projection">${esc(t.classroom.projection)}</a><a class="to-full" href="?">${esc(t.classroom.fullView)}</a></p>`
    : '';
  const empty = machines.length === 0 ? `<p class="warn">${esc(t.classroom.waiting)}</p>` : '';
  const body = [
    `<header><h1>${esc(t.classroom.title)}</h1>\n<p class="meta">${esc(t.classroom.machines(machines.length))}</p>\n${join}\n${modes}\n${empty}</header>`,
    section('table', t.classroom.headings.table, `<p class="legend">${esc(t.classroom.tableNote)}</p>\n${classComparisonTable(drawn.map((m) => m.results), opts.claims, opts.lang, t)}`),
    section('charts', t.classroom.headings.charts, classDotCharts(runs, opts.claims, opts.lang, t)),
    section('machines', t.classroom.headings.machines, htmlTable(Object.values(t.classroom.cols), machineRows(machines, labels, undrawable, t), 'machines')),
  ];
  return page(opts.lang, t.classroom.title, body.join('\n')).replace('</head>', `<style>${CLASS_CSS}</style>\n</head>`);
}

/**
 * The class page whatever the machines hold: when drawing it fails, each machine whose own page fails is reported to
 * onError and listed as "could not be drawn"; when even that fails, every machine is.
 */
export function renderClassPageSafely(machines: readonly ClassMachine[], opts: ClassPageOptions, onError: (label: string, err: unknown) => void): string {
  try {
    return renderClassPage(machines, opts);
  } catch (err) {
    const labels = machineLabels(machines);
    const bad = new Set<string>();
    for (const m of machines) {
      try {
        renderClassPage([m], opts);
      } catch (e) {
        bad.add(m.key);
        onError(labels.get(m.key)!, e);
      }
    }
    try {
      if (bad.size) return renderClassPage(machines, { ...opts, undrawable: bad });
    } catch {
      // Without those it still fails: draw none of them (below).
    }
    onError(`all ${machines.length} machines`, err);
    return renderClassPage(machines, { ...opts, undrawable: new Set(machines.map((m) => m.key)) });
  }
}

/** The page in projection mode: large type and the comparison table only (a class on <html>, which live updates keep). */
export function asProjection(html: string): string {
  return html.replace('<html ', '<html class="projection" ');
}
