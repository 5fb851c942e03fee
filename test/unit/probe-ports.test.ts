// The probes' ports on a shared machine: the configured pair when free; two others, said in a note, when a
// stranger (another user's run, a server) already listens on one of them. Real sockets on 127.0.0.1.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { portFree, probePorts } from '../../src/run/probe-ports.js';
import { koNote } from '../../src/report/i18n/ko-notes.js';

const held: Server[] = [];
afterEach(async () => {
  for (const s of held.splice(0)) await new Promise((r) => s.close(r));
});

/** Listens on a free port and returns it (the port's holder stays until the test ends). */
async function hold(port = 0): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(port, '127.0.0.1', r));
  held.push(s);
  return (s.address() as { port: number }).port;
}

/** A port whose neighbour above is free too (nothing listens on either when this returns). */
async function freePair(): Promise<number> {
  for (;;) {
    const p = await hold();
    await new Promise((r) => held.pop()!.close(r));
    if (p < 65535 && (await portFree(p)) && (await portFree(p + 1))) return p;
  }
}

describe('probePorts', () => {
  it('keeps the configured port and the one above it when both are free, with no note', async () => {
    const p = await freePair();
    expect(await probePorts(p)).toEqual({ port: p, hostPort: p + 1 });
  });

  it('takes two other free ports when the configured one is held, and says which was taken and which were used', async () => {
    const p = await freePair();
    await hold(p);
    const got = await probePorts(p);
    expect([got.port, got.hostPort]).not.toContain(p);
    expect(got.port).not.toBe(got.hostPort);
    expect(await portFree(got.port)).toBe(true);
    expect(await portFree(got.hostPort)).toBe(true);
    expect(got.note).toBe(`probes: 127.0.0.1:${p} already in use (another run on this machine, or a server); the probes used ${got.port} and ${got.hostPort} instead (probePort sets the pair)`);
  });

  it('moves the pair when only the port above is held, naming that one', async () => {
    const p = await freePair();
    await hold(p + 1);
    const got = await probePorts(p);
    expect(got.port).not.toBe(p);
    expect(got.note).toMatch(new RegExp(`^probes: 127\\.0\\.0\\.1:${p + 1} already in use`));
  });

  it('says the same in Korean, with both ports', async () => {
    const p = await freePair();
    await hold(p);
    await hold(p + 1);
    const { note, port, hostPort } = await probePorts(p);
    expect(note).toContain(`${p} and ${p + 1} already in use`);
    expect(koNote(note!)).toBe(`프로브: 127.0.0.1:${p}, ${p + 1} 포트를 이미 다른 프로그램이 쓰고 있어(이 머신의 다른 실행이나 서버), 대신 ${port}번과 ${hostPort}번 포트로 프로브했습니다(probePort로 두 포트를 정합니다)`);
  });
});
