// The class server: students' runs POST their results, the projected page shows every machine and updates live (SSE).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Claim } from '../claims/schema.js';
import { loadClaims } from '../claims/load.js';
import { asProjection, renderClassPage } from '../report/class-page.js';
import type { Lang } from '../report/i18n/index.js';
import { livePage } from '../serve/live-page.js';
import { codeMatches } from './code.js';
import { clientOf, HttpError, readBody, reply } from './http.js';
import { rateLimiter, type RateLimit } from './rate-limit.js';
import type { ClassStore } from './store.js';
import { CODE_HEADER, parseSubmission, SUBMIT_PATH, toMachine } from './submission.js';

export interface ClassLimits {
  /** Largest accepted body (a full run's results.json is about 70 KB). */
  bodyBytes: number;
  /** Time for the request line and headers, and for the whole request. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Per client address, over every request. */
  rate: RateLimit;
  /** Open live pages at most (each holds a connection). */
  maxStreams: number;
}

export const DEFAULT_LIMITS: ClassLimits = {
  bodyBytes: 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 20_000,
  rate: { burst: 30, perSecond: 3 },
  maxStreams: 200,
};

export interface ClassServerOptions {
  store: ClassStore;
  lang: Lang;
  host: string;
  port: number;
  claims?: readonly Claim[];
  limits?: Partial<ClassLimits>;
  /** Re-render at most this often when submissions arrive together. */
  renderDelayMs?: number;
  heartbeatMs?: number;
}

export interface ClassServer {
  /** The address and port it listens on. */
  listening: { host: string; port: number };
  /** URLs students can reach it at (the room's addresses when it listens on all of them). */
  urls: string[];
  /** The command students type. */
  joinCommand: string;
  close(): Promise<void>;
}

/** The URLs a server on host:port is reached at: each non-internal IPv4 address when it listens on all of them. */
export function reachableUrls(host: string, port: number, interfaces = networkInterfaces()): string[] {
  const all = host === '0.0.0.0' || host === '::';
  const hosts = all
    ? Object.values(interfaces).flatMap((list) => (list ?? []).filter((i) => i.family === 'IPv4' && !i.internal).map((i) => i.address))
    : [host.includes(':') ? `[${host}]` : host];
  return [...hosts, ...(all ? ['127.0.0.1'] : [])].map((h) => `http://${h}:${port}`);
}

/** Starts the class server; rejects when the address cannot be listened on (taken port, unknown address). */
export async function startClassServer(opts: ClassServerOptions): Promise<ClassServer> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const claims = opts.claims ?? loadClaims();
  const limiter = rateLimiter(limits.rate);
  const streams = new Set<ServerResponse>();
  let joinCommand = '';
  let seq = 0;
  let html = '';
  let timer: NodeJS.Timeout | undefined;

  const render = () => {
    timer = undefined;
    seq += 1;
    html = livePage(renderClassPage(opts.store.machines(), { lang: opts.lang, claims, joinCommand, modeLinks: true }), seq, opts.lang, new Date());
    const event = `event: report\ndata: ${JSON.stringify({ seq, html })}\n\n`;
    for (const s of streams) s.write(event);
  };
  const scheduleRender = () => {
    timer ??= setTimeout(render, opts.renderDelayMs ?? 500);
  };

  const submit = async (req: IncomingMessage, res: ServerResponse) => {
    const code = req.headers[CODE_HEADER];
    if (typeof code !== 'string' || !code) throw new HttpError(401, `no class code: send it in the ${CODE_HEADER} header (isobench run --code CODE)`);
    if (!codeMatches(code, opts.store.code)) throw new HttpError(403, 'wrong class code: use the code the teacher shows');
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'expected content-type: application/json');
    const body = await readBody(req, limits.bodyBytes, limits.requestTimeoutMs);
    let data: unknown;
    try {
      data = JSON.parse(body.toString('utf8'));
    } catch (err) {
      throw new HttpError(400, `not JSON: ${(err as Error).message}`);
    }
    const parsed = parseSubmission(data);
    if (!parsed.ok) throw new HttpError(400, `not an isobench submission: ${parsed.error}`);
    const machine = toMachine(parsed.value, new Date());
    await opts.store.put(machine).catch((err: Error) => {
      throw new HttpError(500, `could not store the submission: ${err.message}`);
    });
    scheduleRender();
    reply(res, 200, { ok: true, machines: opts.store.machines().length });
  };

  const events = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (streams.size >= limits.maxStreams) throw new HttpError(503, 'too many open live pages', { 'retry-after': '10' });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    if (Number(url.searchParams.get('since') ?? 0) < seq) res.write(`event: report\ndata: ${JSON.stringify({ seq, html })}\n\n`);
    streams.add(res);
    req.on('close', () => streams.delete(res));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const allowed = limiter.take(clientOf(req));
    if (!allowed.ok) throw new HttpError(429, 'too many requests from this address; slow down', { 'retry-after': String(allowed.retryAfterSec) });
    const url = new URL(req.url ?? '/', 'http://class.invalid');
    if (url.pathname === SUBMIT_PATH) {
      if (req.method !== 'POST') throw new HttpError(405, `${SUBMIT_PATH} takes POST`, { allow: 'POST' });
      return submit(req, res);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'this page takes GET', { allow: 'GET' });
    if (url.pathname === '/events') return events(req, res, url);
    if (url.pathname === '/api/class') {
      const machines = opts.store.machines().map((m) => ({ hostname: m.results.host.hostname, state: m.state, step: m.step ?? null, updatedAt: m.updatedAt, environments: m.results.environments.map((e) => ({ name: e.name, status: e.status })) }));
      return reply(res, 200, { machines });
    }
    if (url.pathname !== '/') throw new HttpError(404, 'not found');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(url.searchParams.get('mode') === 'projection' ? asProjection(html) : html);
  };

  const server = createServer(
    { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: 1000, keepAliveTimeout: 5000 },
    (req, res) => {
      handle(req, res).catch((err: unknown) => {
        const e = err instanceof HttpError ? err : new HttpError(500, `internal error: ${(err as Error).message}`);
        reply(res, e.status, { error: e.message }, e.headers);
        if (e.status === 408 || e.status === 413) res.once('finish', () => req.socket.destroy());
      });
    },
  );
  server.maxConnections = 2000;
  const heartbeat = setInterval(() => streams.forEach((s) => s.write(': ping\n\n')), opts.heartbeatMs ?? 15_000);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urls = reachableUrls(opts.host, port);
  joinCommand = `npm run isobench -- run --submit ${urls[0]} --code ${opts.store.code}`;
  render();
  return {
    listening: { host: opts.host, port },
    urls,
    joinCommand,
    async close() {
      clearInterval(heartbeat);
      clearTimeout(timer);
      for (const s of streams) s.end();
      streams.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
