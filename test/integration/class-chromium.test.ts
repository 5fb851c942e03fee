// The class page with 30 machines in a real headless Chromium, served live by the built CLI, in English and Korean.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addressOf, send, startCliServer, studentId, studentResults, submit } from '../helpers/class-students.js';
import { chromium, pngSize } from '../helpers/chromium.js';

/** Where the screenshots stay after the test, to be looked at. */
const SHOTS = process.env.ISOBENCH_SCREENSHOTS ?? join(tmpdir(), 'isobench-screenshots');
const work = mkdtempSync(join(tmpdir(), 'isobench-class-chromium-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Student i of 30: every seventh ran no VM, one is still running, one failed, one has a name full of markup. */
function student(i: number) {
  const results = studentResults(i, i === 3 ? '<b>mallory</b>' : undefined);
  if (i % 7 === 0) results.environments = results.environments.filter((e) => e.kind !== 'vm');
  const state = i === 10 ? 'running' : i === 11 ? 'failed' : 'done';
  return { machineId: studentId(i), state, ...(state === 'running' ? { step: 'docker-requests: install' } : {}), results };
}

const count = (html: string, re: RegExp) => html.match(re)?.length ?? 0;

/** Runs after layout in projection mode: where the table ends and whether the charts and machine list are hidden. */
const PROBE = `<script>
const cells = [...document.querySelectorAll('table.class-table td')];
const out = { cells: cells.length, bottom: Math.max(...cells.map((c) => c.getBoundingClientRect().bottom)), charts: document.querySelector('#charts').getBoundingClientRect().height, machines: document.querySelector('#machines').getBoundingClientRect().height };
const pre = document.createElement('pre');
pre.id = 'probe';
pre.textContent = JSON.stringify(out);
document.body.append(pre);
</script>`;

describe('class page in headless Chromium', { timeout: 300_000 }, () => {
  it('shows 30 machines as dots, the tallied comparison table and the machine list, live, in English and Korean', async () => {
    const state = join(work, 'state');
    mkdirSync(SHOTS, { recursive: true });
    let server = await startCliServer(state);
    for (let i = 0; i < 30; i++) expect((await submit(server.url, server.code, student(i), addressOf(i))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));

    for (const lang of ['en', 'ko'] as const) {
      if (lang === 'ko') {
        expect(await server.stop()).toBe(0);
        server = await startCliServer(state, ['--lang', 'ko']);
      }
      const dom = await chromium(work, ['--window-size=1280,1000', '--dump-dom', `${server.url}/`]);
      expect(count(dom, /<circle class="dot dot-venv"/g)).toBe(4 * 30); // start, disk, workload-memory and host-memory charts
      expect(count(dom, /<circle class="dot dot-docker"/g)).toBe(4 * 30); // start, disk, workload-memory and host-memory charts
      expect(count(dom, /<circle class="dot dot-vm"/g)).toBe(4 * (30 - 5));
      expect(count(dom, /<td class="cell (agree|close|disagree|inconclusive|unknown)"/g)).toBe(11 * 3); // the document's table as it prints it
      expect(count(dom, /<td class="state-(running|done|failed)"/g)).toBe(30);
      expect(dom).toContain(lang === 'ko' ? '컴퓨터 30대' : '30 machines');
      expect(dom).toContain(lang === 'ko' ? '30대 중 30대에서 맞음' : 'held on 30 of 30');
      expect(dom).not.toContain('<b>mallory</b>');
      expect(dom).toContain('&lt;b&gt;mallory&lt;/b&gt;');

      const full = join(SHOTS, `class.${lang}.png`);
      await chromium(work, ['--window-size=1280,4200', `--screenshot=${full}`, `${server.url}/`]);
      expect(pngSize(full)).toEqual([1280, 4200]);
      const served = (await send(`${server.url}/?mode=projection`, {})).body;
      const file = join(work, `projection.${lang}.html`);
      writeFileSync(file, served.replace('</body>', `${PROBE}\n</body>`));
      const probed = /<pre id="probe">([^<]*)<\/pre>/.exec(await chromium(work, ['--window-size=1920,1080', '--dump-dom', `file://${file}`]))?.[1];
      const fit = JSON.parse(probed!.replace(/&quot;/g, '"')) as { cells: number; bottom: number; charts: number; machines: number };
      expect(fit).toMatchObject({ cells: 33, charts: 0, machines: 0 });
      expect(fit.bottom, 'the whole table fits a 1080p projector').toBeLessThanOrEqual(1080);
      const projection = join(SHOTS, `class-projection.${lang}.png`);
      await chromium(work, ['--window-size=1920,1080', `--screenshot=${projection}`, `${server.url}/?mode=projection`]);
      expect(pngSize(projection)).toEqual([1920, 1080]);
      process.stderr.write(`screenshots: ${full}, ${projection}\n`);
    }
    expect(await server.stop()).toBe(0);
  });
});
