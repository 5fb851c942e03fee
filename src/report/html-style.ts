// The HTML report's inline stylesheet: large high-contrast type for projectors, light and dark, print-friendly.

/** CSS for the HTML reports (no external fonts: system and Noto CJK faces only). */
export const REPORT_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #111111; --muted: #3d3d3d; --line: #9a9a9a; --grid: #d0d0d0; --card: #f3f4f6;
  --venv: #1d5fd1; --docker: #08784a; --vm: #b04a00; --doc: #6a3fc0; --doc-bg: #ece4fb;
  --agree: #0b6b2c; --agree-bg: #dcf3e2; --close: #7a5200; --close-bg: #fff0c2;
  --disagree: #a3101f; --disagree-bg: #fde1e4; --unknown: #4a4a4a; --unknown-bg: #ececec; --warn-bg: #fff0c2;
}
@media screen and (prefers-color-scheme: dark) {
  :root {
    --bg: #0e1116; --fg: #f2f4f7; --muted: #c4c9d1; --line: #6b7280; --grid: #30363d; --card: #181d25;
    --venv: #6ea8ff; --docker: #3fd18b; --vm: #ff9d4d; --doc: #c3a6ff; --doc-bg: #2d2342;
    --agree: #7ee2a0; --agree-bg: #12331f; --close: #ffd666; --close-bg: #3a2e0b;
    --disagree: #ff8c98; --disagree-bg: #43141b; --unknown: #c4c9d1; --unknown-bg: #252a33; --warn-bg: #3a2e0b;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body {
  margin: 0 auto; max-width: 1280px; padding: 1.5rem 2rem 4rem;
  font: 20px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK KR", "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif;
}
h1 { font-size: 2.1rem; line-height: 1.2; margin: 0.5rem 0; }
h2 { font-size: 1.6rem; margin: 2.5rem 0 0.75rem; border-bottom: 3px solid var(--line); padding-bottom: 0.25rem; }
h3 { font-size: 1.25rem; margin: 1.5rem 0 0.5rem; }
code { font-family: ui-monospace, "DejaVu Sans Mono", "Noto Sans Mono CJK KR", monospace; font-size: 0.9em; background: var(--card); padding: 0 0.2em; border-radius: 3px; }
.meta { color: var(--muted); margin: 0.2rem 0; }
.bar.tagged { opacity: 0.45; }
.read-first { background: var(--warn-bg); border-left: 6px solid var(--close); padding: 0.4rem 1rem; }
.read-first li { margin: 0.3rem 0; }
.warn { background: var(--warn-bg); border-left: 6px solid var(--close); padding: 0.6rem 1rem; font-weight: 600; }
nav ol { display: flex; flex-wrap: wrap; gap: 0.4rem 1.5rem; padding: 0; list-style: none; }
nav a { color: var(--venv); }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: 0.4rem 0.6rem; text-align: left; vertical-align: top; }
thead th { background: var(--card); }
tbody th { background: var(--card); white-space: nowrap; }
.doc-table { font-size: 1.15rem; }
.doc-table td { width: 28%; }
.cell > span { display: block; }
.doc-says { color: var(--muted); font-size: 0.85em; }
.measured { font-weight: 700; font-size: 1.1em; }
.mark { font-weight: 700; }
.agree { background: var(--agree-bg); } .agree .mark { color: var(--agree); }
.close { background: var(--close-bg); } .close .mark { color: var(--close); }
.disagree { background: var(--disagree-bg); } .disagree .mark { color: var(--disagree); }
.unknown { background: var(--unknown-bg); } .unknown .mark { color: var(--unknown); }
.inconclusive { background: var(--unknown-bg); outline: 2px dashed var(--close); outline-offset: -4px; } .inconclusive .mark { color: var(--close); }
.on { color: var(--muted); font-size: 0.75em; }
.verdict { font-weight: 600; }
.claims { font-size: 0.85rem; }
.claims td:first-child { white-space: nowrap; }
.chart-box { margin: 1rem 0 2rem; }
.chart-box figcaption { font-size: 1.3rem; font-weight: 700; }
.legend { color: var(--muted); font-size: 0.9rem; margin: 0.2rem 0; }
svg.chart { width: 100%; height: auto; display: block; font-family: inherit; }
svg .label { font-size: 20px; font-weight: 700; fill: var(--fg); }
svg .sublabel, svg .tick, svg .doc-label { font-size: 15px; fill: var(--muted); }
svg .value { font-size: 20px; font-weight: 700; fill: var(--fg); }
svg .missing { font-size: 17px; font-style: italic; fill: var(--muted); }
svg .grid { stroke: var(--grid); stroke-width: 1; }
svg .bar-venv { fill: var(--venv); } svg .bar-docker { fill: var(--docker); } svg .bar-vm { fill: var(--vm); }
svg .ci line { stroke: var(--fg); stroke-width: 2.5; }
svg .doc { stroke: var(--doc); stroke-width: 1.5; }
svg .doc-label { fill: var(--doc); font-weight: 600; }
svg .hatch { stroke: var(--doc); stroke-width: 3; }
svg .hatch-bg { fill: var(--doc-bg); }
.live-badge { position: fixed; top: 0.5rem; right: 0.75rem; background: var(--disagree); color: var(--bg); padding: 0.1rem 0.6rem; border-radius: 1rem; font-weight: 700; font-size: 0.9rem; }
@media print {
  :root { color-scheme: light; --bg: #fff; --fg: #000; --muted: #333; --card: #f0f0f0; }
  body { font-size: 11pt; max-width: none; padding: 0; }
  nav, .live-badge { display: none; }
  h2 { break-after: avoid; }
  figure, tr, .warn { break-inside: avoid; }
  thead { display: table-header-group; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
`;
