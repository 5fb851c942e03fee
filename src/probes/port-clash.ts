// port-clash: two instances start `python -m http.server` on one port (the document's example);
// where the kind publishes ports, a second instance publishing the same 127.0.0.1 host port too.
import type { Background } from '../drivers/types.js';
import type { Probe, ProbeSession } from './types.js';

const SERVING = /Serving HTTP on/;
const CLASH = /Address already in use|Errno 98|EADDRINUSE/;
const EITHER = new RegExp(`${SERVING.source}|${CLASH.source}`);

/** argv of the document's server, unbuffered so its first line arrives at once. */
const serverArgv = (port: number) => ['python', '-u', '-m', 'http.server', '--bind', '127.0.0.1', String(port)];

async function insideClash({ driver, a, b, port }: ProbeSession): Promise<{ clash: boolean; second: string }> {
  const first: Background = await driver.spawn(a, serverArgv(port));
  try {
    await first.waitFor(SERVING, 60_000);
    const second = await driver.spawn(b, serverArgv(port));
    try {
      const out = await second.waitFor(EITHER, 60_000).catch((err: Error) => err.message);
      return { clash: CLASH.test(out), second: out.trim().split('\n').filter((l) => EITHER.test(l)).pop() ?? out.trim().slice(-200) };
    } finally {
      await second.stop();
    }
  } finally {
    await first.stop();
  }
}

/** Starts a third instance publishing the host port `a` already publishes: does it fail? */
async function hostPortClash({ driver, env, ctx, port, hostPort }: ProbeSession): Promise<{ clash: boolean; error?: string }> {
  try {
    const c = await driver.start(env, ctx, { publish: [{ inside: port, host: hostPort }] });
    await driver.stop(c);
    return { clash: false };
  } catch (err) {
    return { clash: true, error: err instanceof Error ? err.message : String(err) };
  }
}

export const portClashProbe: Probe = {
  id: 'port-clash',
  title: 'Two instances on one TCP port',
  appliesTo: ['venv', 'docker', 'vm'],
  async run(session) {
    const inside = await insideClash(session);
    const publishes = session.driver.kind !== 'venv';
    const host = publishes ? await hostPortClash(session) : undefined;
    const summary = inside.clash
      ? `the second server on port ${session.port} failed: ${inside.second}`
      : `both instances serve on port ${session.port} without a clash (separate network stacks)`;
    const hostNote = host
      ? host.clash
        ? `; publishing both on 127.0.0.1:${session.hostPort} fails for the second, as on any one host`
        : `; publishing both on 127.0.0.1:${session.hostPort} unexpectedly worked`
      : '';
    return {
      id: 'port-clash',
      isolated: !inside.clash,
      summary: summary + hostNote,
      evidence: {
        port: session.port,
        secondServer: inside.second,
        ...(host ? { hostPort: session.hostPort, hostPortClash: host.clash, hostPortError: host.error ?? null } : {}),
      },
    };
  },
};
