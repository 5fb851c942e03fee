// The live view's page: the HTML report plus a badge and a small script that swaps in each new report (SSE).
import { page } from '../report/html.js';
import { esc } from '../report/html-util.js';
import { messages, type Lang } from '../report/i18n/index.js';

/** Listens to /events and replaces the page body with each report that arrives, keeping the scroll position. */
const CLIENT = `<script>
(() => {
  const since = document.documentElement.dataset.seq || '0';
  const events = new EventSource('/events?since=' + since);
  events.addEventListener('report', (e) => {
    const msg = JSON.parse(e.data);
    const next = new DOMParser().parseFromString(msg.html, 'text/html');
    const y = window.scrollY;
    document.documentElement.dataset.seq = String(msg.seq);
    document.title = next.title;
    document.body.replaceWith(document.adoptNode(next.body));
    window.scrollTo(0, y);
  });
})();
</script>`;

/** Where the run is: the step running now and the environments still to run, or how it ended. */
export type LiveState = { state: 'running'; now?: string; left: string[] } | { state: 'finished' | 'interrupted' };

/** The badge's words for a state (pure). */
export function stateText(s: LiveState, lang: Lang): string {
  const t = messages(lang).html.live;
  if (s.state !== 'running') return t[s.state];
  return `${s.now ? `${t.now}: ${s.now} · ` : ''}${t.left}: ${s.left.length ? s.left.join(', ') : t.none}`;
}

/** A report page (or the waiting page when html is undefined) with the live badge (and where the run is) and client script. */
export function livePage(html: string | undefined, seq: number, lang: Lang, at: Date, state?: LiveState): string {
  const t = messages(lang);
  const doc = html ?? page(lang, t.title, `<h1>${esc(t.title)}</h1>\n<p class="meta">${esc(t.html.live.waiting)}</p>`);
  const where = state ? ` · ${esc(stateText(state, lang))}` : '';
  const badge = `<div class="live-badge" role="status">● ${esc(t.html.live.badge)} · ${esc(t.html.live.updated)} ${at.toTimeString().slice(0, 8)}${where}</div>`;
  return doc
    .replace('<html ', `<html data-seq="${seq}" `)
    .replace('</head>', `${CLIENT}\n</head>`)
    .replace('<body>', `<body>\n${badge}`);
}
