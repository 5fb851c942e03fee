// Renders the HTML report in a real headless Chromium (bash .ci/browser.sh installs it) and checks what a reader sees.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/lifecycle/paths.js';
import { renderHtml } from '../../src/report/html.js';
import type { RunResults } from '../../src/results/schema.js';
import { chromium as runChromium, pngSize } from '../helpers/chromium.js';

/** Where the screenshots stay after the test, to be looked at. */
const SHOTS = process.env.ISOBENCH_SCREENSHOTS ?? join(tmpdir(), 'isobench-screenshots');
const work = mkdtempSync(join(tmpdir(), 'isobench-chromium-'));
const chromium = (args: string[]) => runChromium(work, args);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sample = (): RunResults =>
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'results', 'sample.json'), 'utf8')) as RunResults;

/** Runs after layout: what is really on screen, written into the DOM for --dump-dom. */
const PROBE = `<script>
const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 1 && r.height > 1; };
const out = {
  charts: [...document.querySelectorAll('svg.chart')].map((svg) => ({
    id: svg.id,
    bars: [...svg.querySelectorAll('rect.bar')].filter(visible).map((b) => b.dataset.env),
    docBands: [...svg.querySelectorAll('rect.doc')].filter(visible).length,
    width: Math.round(svg.getBoundingClientRect().width),
  })),
  cells: [...document.querySelectorAll('table.doc-table td')].map((td) => ({ text: td.innerText.trim(), shown: visible(td) })),
  heading: document.querySelector('#table h2').innerText,
};
const pre = document.createElement('pre');
pre.id = 'probe';
pre.textContent = JSON.stringify(out);
document.body.append(pre);
</script>`;

interface Probe {
  charts: { id: string; bars: string[]; docBands: number; width: number }[];
  cells: { text: string; shown: boolean }[];
  heading: string;
}

async function seen(html: string, name: string): Promise<Probe> {
  const file = join(work, name);
  writeFileSync(file, html.replace('</body>', `${PROBE}\n</body>`));
  const dom = await chromium(['--window-size=1280,1000', '--dump-dom', `file://${file}`]);
  const json = /<pre id="probe">([^<]*)<\/pre>/.exec(dom)?.[1];
  expect(json, 'the probe script ran').toBeTruthy();
  return JSON.parse(json!.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as Probe;
}

describe('HTML report in headless Chromium', { timeout: 240_000 }, () => {
  for (const lang of ['en', 'ko'] as const) {
    it(`shows charts with a bar per measured environment and a filled comparison table (${lang})`, async () => {
      const html = renderHtml(sample(), lang);
      const probe = await seen(html, `report.${lang}.html`);
      expect(probe.charts.map((c) => c.id)).toEqual(['chart-start', 'chart-disk', 'chart-memory', 'chart-hostMemory']);
      for (const c of probe.charts) {
        expect(c.bars, c.id).toEqual(['venv-python3', 'docker-requests']);
        expect(c.width).toBeGreaterThan(800);
      }
      expect(probe.charts[0]!.docBands).toBe(3);
      expect(probe.cells).toHaveLength(11 * 3); // the document's table as it prints it: 11 rows, 3 kinds
      for (const cell of probe.cells) {
        expect(cell.shown).toBe(true);
        expect(cell.text.length).toBeGreaterThan(3);
      }
      expect(probe.heading).toBe(lang === 'ko' ? '문서의 구체적 비교표와 이 컴퓨터의 측정값' : "The document's comparison table, measured here");

      mkdirSync(SHOTS, { recursive: true });
      const shot = join(SHOTS, `report.${lang}.png`);
      writeFileSync(join(work, `plain.${lang}.html`), html);
      await chromium(['--window-size=1280,2600', `--screenshot=${shot}`, `file://${join(work, `plain.${lang}.html`)}`]);
      expect(pngSize(shot)).toEqual([1280, 2600]);
      process.stderr.write(`screenshot: ${shot}\n`);
    });
  }

  it('has a font for Korean text (else it shows as boxes)', async () => {
    // The font fontconfig gives Chromium for Korean sans-serif text must itself cover Korean; a missing font fails here.
    const r = await execa('fc-match', ['--format=%{family}\n%{lang}', 'sans-serif:lang=ko'], { reject: false, timeout: 10_000 });
    const [family = '', langs = ''] = r.stdout.split('\n');
    expect(langs.split('|'), `fc-match sans-serif:lang=ko gives "${family}", which has no Korean: install fonts-noto-cjk (bash .ci/browser.sh)`).toContain('ko');
  });
});
