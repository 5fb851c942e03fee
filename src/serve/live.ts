// Classroom live view: a local HTTP server showing the HTML report, pushing each new report over server-sent events.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Claim } from '../claims/schema.js';
import { loadClaims } from '../claims/load.js';
import { renderHtml } from '../report/html.js';
import type { Lang } from '../report/i18n/index.js';
import type { RunResults } from '../results/schema.js';
import { livePage, type LiveState } from './live-page.js';

export interface LiveServer {
  /** http://127.0.0.1:PORT/ */
  url: string;
  /** Shows these results: re-renders the page and pushes it to every open browser. */
  update(results: RunResults): void;
  /** Shows where the run is (the step running now, what is left) without new results. */
  progress(state: LiveState): void;
  /** Ends every event stream and stops the server. */
  close(): Promise<void>;
}

export interface LiveOptions {
  lang: Lang;
  claims?: readonly Claim[];
  /** Comment lines sent this often keep proxies and browsers from dropping idle streams. */
  heartbeatMs?: number;
}

/** Starts the live view on 127.0.0.1:port (0 picks a free port); rejects when the port is taken. */
export async function startLiveServer(port: number, opts: LiveOptions): Promise<LiveServer> {
  const claims = opts.claims ?? loadClaims();
  const clients = new Set<ServerResponse>();
  let seq = 0;
  let current = livePage(undefined, seq, opts.lang, new Date());
  let html: string | undefined;
  let state: LiveState | undefined;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET') return void res.writeHead(405, { allow: 'GET' }).end();
    if (url.pathname === '/') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(current);
    if (url.pathname !== '/events') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    if (Number(url.searchParams.get('since') ?? 0) < seq) res.write(event(seq, current));
    clients.add(res);
    req.on('close', () => clients.delete(res));
  });
  const event = (n: number, page: string) => `event: report\ndata: ${JSON.stringify({ seq: n, html: page })}\n\n`;
  const push = () => {
    seq += 1;
    current = livePage(html, seq, opts.lang, new Date(), state);
    for (const c of clients) c.write(event(seq, current));
  };
  const heartbeat = setInterval(() => clients.forEach((c) => c.write(': ping\n\n')), opts.heartbeatMs ?? 15_000);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    update(results) {
      html = renderHtml(results, opts.lang, claims);
      if (results.finishedAt) state = { state: results.complete ? 'finished' : 'interrupted' };
      push();
    },
    progress(next) {
      if (state?.state !== 'running' && state !== undefined) return;
      state = next;
      push();
    },
    async close() {
      clearInterval(heartbeat);
      for (const c of clients) c.end();
      clients.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
