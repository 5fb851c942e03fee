// port-clash: two instances start `python -m http.server` on one port (the document's example);
// where the kind publishes ports, a second instance publishing the same 127.0.0.1 host port too.
// Isolated only when the second server was seen serving and answered; shared only on "address in use".
import { WaitFailed } from '../drivers/output-watch.js';
import type { Background } from '../drivers/types.js';
import { pyJson } from './exec-json.js';
import type { Probe, ProbeSession } from './types.js';

const SERVING = /Serving HTTP on/;
const CLASH = /Address already in use|Errno 98|EADDRINUSE/;
const EITHER = new RegExp(`${SERVING.source}|${CLASH.source}`);
const HOST_CLASH = /already allocated|already in use|EADDRINUSE/i;

/** GET / on 127.0.0.1:PORT from inside an instance: the HTTP status, or the error. */
const GET = `import json, sys, urllib.request
try:
    status = urllib.request.urlopen("http://127.0.0.1:%s/" % sys.argv[1], timeout=20).status
    print(json.dumps({"status": status}))
except Exception as e:
    print(json.dumps({"status": None, "error": "%s: %s" % (type(e).__name__, e)}))`;

/** argv of the document's server, unbuffered so its first line arrives at once. */
const serverArgv = (port: number) => ['python', '-u', '-m', 'http.server', '--bind', '127.0.0.1', String(port)];

/** What the second server did: its output, why watching it ended (exit/timeout), and a GET from inside its instance. */
export interface SecondServer {
  output: string;
  /** Set when it exited or timed out before either line appeared. */
  ended?: string;
  /** HTTP status of GET / from inside the second instance, when one was tried. */
  status?: number | null;
  getError?: string;
}

/** Pure: isolated only when it served and answered; shared only on "address in use"; otherwise not measured. */
export function judgeSecondServer(s: SecondServer): { isolated: boolean | null; seen: string } {
  const lines = s.output.trim().split('\n').map((l) => l.trim()).filter(Boolean);
  const clash = lines.filter((l) => CLASH.test(l)).pop();
  if (clash) return { isolated: false, seen: clash };
  const serving = lines.find((l) => SERVING.test(l));
  if (serving && typeof s.status === 'number') return { isolated: true, seen: `${serving}; GET / inside it answered ${s.status}` };
  if (serving) return { isolated: null, seen: `printed "${serving}" but GET / inside its instance failed: ${s.getError ?? 'not tried'}` };
  const tail = lines.slice(-2).join(' | ') || 'no output';
  return { isolated: null, seen: `neither served nor reported the address in use (${s.ended ?? 'no result'}); output: ${tail}` };
}

async function secondServer({ driver, a, b, port }: ProbeSession): Promise<SecondServer> {
  const first: Background = await driver.spawn(a, serverArgv(port));
  try {
    await first.waitFor(SERVING, 60_000);
    const second = await driver.spawn(b, serverArgv(port));
    try {
      const out = await second.waitFor(EITHER, 60_000).catch((err: unknown) => err);
      if (out instanceof WaitFailed) return { output: out.output, ended: out.why };
      if (typeof out !== 'string') throw out;
      if (CLASH.test(out) || !SERVING.test(out)) return { output: out };
      const got = await pyJson<{ status: number | null; error?: string }>(driver, b, GET, [String(port)]);
      return { output: out, status: got.status, ...(got.error ? { getError: got.error } : {}) };
    } finally {
      await second.stop();
    }
  } finally {
    await first.stop();
  }
}

/** Starts a third instance publishing the host port `a` already publishes: refused for "port in use" (true), started (false), else null. */
async function hostPortClash({ driver, env, ctx, port, hostPort }: ProbeSession): Promise<{ clash: boolean | null; error?: string }> {
  try {
    const c = await driver.start(env, ctx, { publish: [{ inside: port, host: hostPort }] });
    await driver.stop(c);
    return { clash: false };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return { clash: HOST_CLASH.test(error) ? true : null, error };
  }
}

function hostNote(host: { clash: boolean | null; error?: string } | undefined, hostPort: number): string {
  if (!host) return '';
  if (host.clash === true) return `; publishing both on 127.0.0.1:${hostPort} fails for the second, as on any one host`;
  if (host.clash === false) return `; publishing both on 127.0.0.1:${hostPort} unexpectedly worked`;
  return `; publishing a second one on 127.0.0.1:${hostPort} failed for another reason: ${host.error}`;
}

export const portClashProbe: Probe = {
  id: 'port-clash',
  title: 'Two instances on one TCP port',
  appliesTo: ['venv', 'docker', 'vm'],
  async run(session) {
    const second = await secondServer(session);
    const { isolated, seen } = judgeSecondServer(second);
    const publishes = session.driver.kind !== 'venv' && !session.env.noPublish;
    const host = publishes ? await hostPortClash(session) : undefined;
    const unpublished = session.env.noPublish ? `; no host port published: ${session.env.noPublish}` : '';
    const summary =
      isolated === false
        ? `the second server on port ${session.port} failed: ${seen}`
        : isolated
          ? `both instances serve on port ${session.port} without a clash (separate network stacks): ${seen}`
          : `not measured: the second server on port ${session.port} ${seen}`;
    return {
      id: 'port-clash',
      isolated,
      summary: summary + hostNote(host, session.hostPort) + unpublished,
      evidence: {
        port: session.port,
        secondServer: seen,
        ...(second.status !== undefined ? { secondAnswered: second.status } : {}),
        ...(host ? { hostPort: session.hostPort, hostPortClash: host.clash, hostPortError: host.error ?? null } : {}),
      },
    };
  },
};
