// The class server: students' runs POST their results, the projected page shows every machine and updates live (SSE).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Claim } from '../claims/schema.js';
import { loadClaims } from '../claims/load.js';
import { asProjection, machineLabels, renderClassPageSafely } from '../report/class-page.js';
import type { Lang } from '../report/i18n/index.js';
import { livePage } from '../serve/live-page.js';
import { codeMatches } from './code.js';
import { clientOf, HttpError, lingerOnClose, readBody, reply } from './http.js';
import { liveStreams } from './live-streams.js';
import { counter, rateLimiter, type RateLimit } from './rate-limit.js';
import type { ClassStore } from './store.js';
import { CODE_HEADER, machineKey, parseSubmission, SUBMIT_PATH, toMachine } from './submission.js';

export interface ClassLimits {
  /** Largest accepted body (a full run's results.json is about 90 KB). */
  bodyBytes: number;
  /** Time for the request line and headers, and for the whole request. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Per client address, over every request: enough for a room of 60 behind one address (a NAT, a port proxy). */
  rate: RateLimit;
  /** Per machine within an address, over its submissions. */
  machineRate: RateLimit;
  /** New machines one address may add while the server runs. */
  machinesPerAddress: number;
  /** Open connections, and requests being answered, per client address. */
  connectionsPerAddress: number;
  inFlightPerAddress: number;
  /** Open live pages at most (each holds a connection), and per client address. */
  maxStreams: number;
  streamsPerAddress: number;
  /** A live page that has not taken what was sent to it for this long is dropped (it holds at most one page meanwhile). */
  streamStallMs: number;
}

/** How long a connection answered before its body arrived (413, 429, 401…) keeps reading, so that the client can read the answer. */
const LINGER_MS = 2000;

export const DEFAULT_LIMITS: ClassLimits = {
  bodyBytes: 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 20_000,
  rate: { burst: 120, perSecond: 20 },
  machineRate: { burst: 10, perSecond: 1 },
  machinesPerAddress: 100,
  connectionsPerAddress: 128,
  inFlightPerAddress: 32,
  maxStreams: 200,
  streamsPerAddress: 8,
  streamStallMs: 20_000,
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
  /** Where one-line warnings go (a machine that could not be drawn, an internal error); stderr by default. */
  warn?: (line: string) => void;
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
  const warn = opts.warn ?? ((line: string) => void process.stderr.write(`warning: ${line}\n`));
  const limiter = rateLimiter(limits.rate);
  const machineLimiter = rateLimiter(limits.machineRate);
  const newMachines = counter();
  const connections = counter();
  const inFlight = counter();
  const streams = liveStreams(limits);
  let joinCommand = '';
  let seq = 0;
  let html = '';
  let timer: NodeJS.Timeout | undefined;

  const render = () => {
    timer = undefined;
    try {
      const body = renderClassPageSafely(opts.store.machines(), { lang: opts.lang, claims, joinCommand, modeLinks: true }, (label, err) =>
        warn(`machine "${label}" could not be drawn: ${(err as Error).message ?? String(err)}`),
      );
      const next = livePage(body, seq + 1, opts.lang, new Date());
      const event = `event: report\ndata: ${JSON.stringify({ seq: seq + 1, html: next })}\n\n`;
      [seq, html] = [seq + 1, next];
      streams.send(event);
    } catch (err) {
      warn(`the class page could not be drawn; the last one stays up: ${(err as Error).message}`);
    }
  };
  const scheduleRender = () => {
    timer ??= setTimeout(render, opts.renderDelayMs ?? 500);
  };

  const submit = async (req: IncomingMessage, res: ServerResponse, client: string) => {
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
    const key = machineKey(parsed.value.machineId);
    const allowed = machineLimiter.take(`${client} ${key}`);
    if (!allowed.ok) throw new HttpError(429, 'this machine sends too often; slow down', { 'retry-after': String(allowed.retryAfterSec) });
    const existing = opts.store.machines().find((m) => m.key === key);
    if (!existing && newMachines.get(client) >= limits.machinesPerAddress) throw new HttpError(429, `more than ${limits.machinesPerAddress} machines from this address`, { 'retry-after': '60' });
    // Counted before the write, so submissions arriving together cannot pass the cap side by side.
    if (!existing) newMachines.add(client, 1);
    const now = new Date();
    const machine = toMachine(parsed.value, now, claims, existing?.joinedAt ?? existing?.updatedAt ?? now.toISOString());
    await opts.store.put(machine).catch((err: Error) => {
      if (!existing) newMachines.add(client, -1);
      throw new HttpError(500, `could not store the submission: ${err.message}`);
    });
    scheduleRender();
    const machines = opts.store.machines();
    reply(res, 200, { ok: true, machines: machines.length, label: machineLabels(machines).get(key) });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, client: string, release: () => void) => {
    if (inFlight.get(client) > limits.inFlightPerAddress) throw new HttpError(503, 'too many requests in flight from this address', { 'retry-after': '5' });
    const allowed = limiter.take(client);
    if (!allowed.ok) throw new HttpError(429, 'too many requests from this address; slow down', { 'retry-after': String(allowed.retryAfterSec) });
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://class.invalid');
    } catch {
      throw new HttpError(400, 'malformed URL');
    }
    if (url.pathname === SUBMIT_PATH) {
      if (req.method !== 'POST') throw new HttpError(405, `${SUBMIT_PATH} takes POST`, { allow: 'POST' });
      return submit(req, res, client);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'this page takes GET', { allow: 'GET' });
    if (url.pathname === '/events') {
      streams.open(res, client, Number(url.searchParams.get('since') ?? 0) < seq);
      return release();
    }
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
      const client = clientOf(req);
      inFlight.add(client, 1);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        inFlight.add(client, -1);
      };
      res.once('close', release);
      handle(req, res, client, release).catch((err: unknown) => {
        const e = err instanceof HttpError ? err : new HttpError(500, `internal error: ${(err as Error).message}`);
        if (e.status >= 500 && !(err instanceof HttpError)) warn(`internal error answering ${req.method} ${JSON.stringify(req.url).slice(0, 100)}: ${(err as Error).message}`);
        const cut = e.status === 408 || e.status === 503;
        if (!cut && !req.complete) lingerOnClose(req.socket, LINGER_MS);
        reply(res, e.status, { error: e.message }, e.headers);
        if (cut) res.once('finish', () => req.socket.destroy());
      });
    },
  );
  server.maxConnections = 2000;
  server.on('connection', (socket) => {
    const client = socket.remoteAddress;
    if (!client) return void socket.destroy();
    if (connections.add(client, 1) > limits.connectionsPerAddress) socket.destroy();
    socket.once('close', () => connections.add(client, -1));
  });
  const heartbeat = setInterval(() => streams.ping(), opts.heartbeatMs ?? 15_000);
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
      streams.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
