// The classroom live view: a real HTTP server on 127.0.0.1, a real SSE client, two updates, a clean close.
import { get, type IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/lifecycle/paths.js';
import type { RunResults } from '../../src/results/schema.js';
import { startLiveServer } from '../../src/serve/live.js';
import { onReports, type ReportEvent } from '../helpers/sse.js';

const sample = (): RunResults =>
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'results', 'sample.json'), 'utf8')) as RunResults;

function request(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => get(url, { agent: false }, resolve).on('error', reject));
}

async function text(url: string): Promise<{ status: number; body: string }> {
  const res = await request(url);
  let body = '';
  for await (const chunk of res) body += String(chunk);
  if (!res.socket.destroyed) await once(res.socket, 'close');
  return { status: res.statusCode ?? 0, body };
}

/** Collects `report` events from an SSE stream; `next(n)` resolves once n have arrived, `closed` when the server ends it. */
function sseClient(res: IncomingMessage) {
  const events: ReportEvent[] = [];
  const waiters: (() => void)[] = [];
  onReports(res, (e) => {
    events.push(e);
    waiters.splice(0).forEach((w) => w());
  });
  const next = async (n: number) => {
    while (events.length < n) await new Promise<void>((r) => waiters.push(r));
    return events;
  };
  return { next, closed: new Promise<void>((r) => res.socket.once('close', () => r())) };
}

/** Open TCP servers and sockets of this process. */
const handles = () => process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;

describe('live view', () => {
  it('serves the report on 127.0.0.1 and pushes each update over server-sent events', async () => {
    const before = handles();
    const live = await startLiveServer(0, { lang: 'ko', heartbeatMs: 50 });
    expect(live.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const waiting = await text(live.url);
    expect(waiting.status).toBe(200);
    expect(waiting.body).toContain('첫 결과를 기다리는 중');
    expect(waiting.body).toContain("new EventSource('/events?since=' + since)");

    const stream = await request(`${live.url}events?since=0`);
    expect(stream.headers['content-type']).toBe('text/event-stream');
    const client = sseClient(stream);

    const first = sample();
    first.environments = first.environments.filter((e) => e.kind === 'venv');
    live.update(first);
    live.update(sample());
    const events = await client.next(2);
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
    expect(events[0]!.html).toContain('data-env="venv-python3"');
    expect(events[0]!.html).not.toContain('data-env="docker-requests"');
    expect(events[1]!.html).toContain('data-env="docker-requests"');
    expect(events[1]!.html).toContain('<html data-seq="2" lang="ko">');

    const page = await text(live.url);
    expect(page.body).toContain('data-env="docker-requests"');
    expect((await text(`${live.url}nope`)).status).toBe(404);

    const late = sseClient(await request(`${live.url}events?since=1`));
    expect((await late.next(1))[0]!.seq).toBe(2);

    await live.close();
    await Promise.all([client.closed, late.closed]);
    expect(handles()).toBe(before);
    await expect(request(live.url)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('rejects a port that is taken', async () => {
    const a = await startLiveServer(0, { lang: 'en' });
    const port = Number(new URL(a.url).port);
    await expect(startLiveServer(port, { lang: 'en' })).rejects.toThrow(/EADDRINUSE/);
    await a.close();
  });
});

describe('live view during a real run', () => {
  it('pushes the report as the venv environment is measured, then ends the stream', async () => {
    const { execa } = await import('execa');
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const root = join(import.meta.dirname, '..', '..');
    const dir = await mkdtemp(join(tmpdir(), 'isobench-test-'));
    try {
      const child = execa('node', [join(root, 'bin', 'isobench.js'), 'run', '--only', 'venv', '--samples', '1', '--serve', '0', '--out', join(dir, 'out')], { reject: false, timeout: 600_000 });
      let stderr = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr!.on('data', (d: Buffer) => {
          stderr += d.toString();
          const m = /live view: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr);
          if (m) resolve(m[1]!);
        });
        child.once('exit', () => reject(new Error(`exited before serving: ${stderr}`)));
      });
      const stream = sseClient(await request(`${url}events`));
      const events = await stream.next(2);
      expect(events[0]!.html).toContain('isobench');
      const r = await child;
      expect(r.exitCode, r.stderr).toBe(0);
      await stream.closed;
      const all = await stream.next(0);
      const last = all.at(-1)!;
      expect(all.length).toBeGreaterThanOrEqual(3);
      // The last page shows what this run measured: the venv's size as results.json holds it, absent before.
      const { readFile } = await import('node:fs/promises');
      const { formatValue } = await import('../../src/report/format.js');
      const results = JSON.parse(await readFile(join(dir, 'out', 'results.json'), 'utf8')) as RunResults;
      const size = results.environments.find((e) => e.name === 'venv-python3')?.metrics['disk.apparent.bytes'];
      expect(size?.value, 'venv-python3 disk.apparent.bytes in results.json').toBeGreaterThan(0);
      const shown = formatValue(size!.value!, 'bytes');
      expect(last.html).toContain(shown);
      expect(events[0]!.html).not.toContain(shown);
      expect(last.seq).toBeGreaterThan(events[0]!.seq);
      // While running it says what runs now and what is left, never that the run was interrupted.
      const running = all.slice(0, -1);
      expect(running.some((e) => /running now: venv-python3: install requests · still to run: nothing/.test(e.html)), running.map((e) => e.html.slice(0, 300)).join('\n')).toBe(true);
      for (const e of running) expect(e.html).not.toContain('the run was interrupted');
      // Live, not only at the end: a page pushed while the run still ran already shows the measured size.
      expect(running.filter((e) => e.html.includes(shown)).length, 'pages before the last that show the size').toBeGreaterThan(0);
      expect(last.html).toContain('the run finished');
      expect(last.html).not.toContain('Incomplete');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
