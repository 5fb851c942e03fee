// The class server against a hostile room (issue 21), on a real server (the built CLI on 127.0.0.1): a submission that
// would break the page, a poisoned --state, slowloris from one address, 30 real clients behind one address, a damaged
// class.json, forged verdicts, and the small malformed requests.
import { get, type ClientRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClaims } from '../../src/claims/load.js';
import { classSubmitter } from '../../src/class/client.js';
import { startClassServer } from '../../src/class/server.js';
import { openClassStore } from '../../src/class/store.js';
import { CODE_HEADER, SUBMIT_PATH } from '../../src/class/submission.js';
import { PACKAGE_ROOT } from '../../src/lifecycle/paths.js';
import type { EnvResult, RunResults } from '../../src/results/schema.js';
import { pushedPage } from '../helpers/sse.js';
import { addressOf, send, startCliServer, studentId, studentResults, submit, type CliServer } from '../helpers/class-students.js';

const CLI = join(PACKAGE_ROOT, 'bin', 'isobench.js');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isobench-test-hostile-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const view = async (s: CliServer) => JSON.parse((await send(`${s.url}/api/class`, { from: '127.0.8.1' })).body) as { machines: { hostname: string; state: string }[] };
const submission = (i: number) => ({ machineId: studentId(i), state: 'done', results: studentResults(i) });

/** Results that once passed the schema and broke the page: a very long host name and thousands of tiny environments. */
function poisonResults(nameLength: number, envs: number): RunResults {
  const r = studentResults(0, 'h'.repeat(nameLength));
  const env = (i: number): EnvResult => ({
    kind: 'venv', name: `v${i}`, label: 'v', status: 'completed', steps: [], probes: [], notes: [], facts: {},
    metrics: { 'ready.python.ms': { unit: 'ms', value: 1, method: 'm' } },
  });
  r.environments = Array.from({ length: envs }, (_, i) => env(i));
  return r;
}

/** A line logger that keeps what it was told. */
const lines = () => {
  const seen: string[] = [];
  return { seen, log: { info: (m: string) => seen.push(m), warn: (m: string) => seen.push(`warning: ${m}`), debug: () => undefined } };
};

describe('class server in a hostile room', { timeout: 120_000 }, () => {
  it('refuses a submission that would break the page (and a burst of 0.9 MB names), and keeps serving', async () => {
    const server = await startCliServer(join(dir, 'render'));
    try {
      const poison = { machineId: studentId(0, 'poison'), state: 'done', results: poisonResults(150_000, 2500) };
      expect(JSON.stringify(poison).length).toBeLessThan(1024 * 1024);
      const r = await submit(server.url, server.code, poison, '127.0.2.1');
      expect([r.status, r.body]).toEqual([400, expect.stringMatching(/results\.(host\.hostname|environments)/)]);
      const burst = await Promise.all(
        Array.from({ length: 24 }, (_, i) => {
          const s = submission(i);
          if (i % 2) s.results.host.hostname = 'n'.repeat(900_000);
          else s.results.environments[0]!.label = 'n'.repeat(900_000);
          return submit(server.url, server.code, s, addressOf(i));
        }),
      );
      expect(burst.map((b) => b.status)).toEqual(Array(24).fill(400));
      const live = pushedPage(server.url, (h) => h.includes('student-31'));
      expect((await submit(server.url, server.code, submission(30), addressOf(30))).status).toBe(200);
      await live;
      const page = await send(`${server.url}/`, {});
      expect(page.status).toBe(200);
      expect(page.body.length).toBeLessThan(1024 * 1024);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('starts and exports with a poisoned --state: unusable machine files are set aside with a warning naming each', async () => {
    const state = join(dir, 'poisoned');
    let server = await startCliServer(state);
    const code = server.code;
    expect((await submit(server.url, code, submission(0), addressOf(0))).status).toBe(200);
    expect(await server.stop()).toBe(0);
    const machines = join(state, 'machines');
    const [honest] = await readdir(machines);
    const bad = { huge: `${'a'.repeat(32)}.json`, cut: `${'b'.repeat(32)}.json`, empty: `${'c'.repeat(32)}.json` };
    await writeFile(join(machines, bad.huge), JSON.stringify({ key: 'a'.repeat(32), state: 'done', updatedAt: new Date().toISOString(), results: poisonResults(150_000, 2500) }));
    await writeFile(join(machines, bad.cut), '{"key": "bbbbbbbb');
    await writeFile(join(machines, bad.empty), '');
    await writeFile(join(machines, `${honest}.tmp-4242-7`), '{"half');

    const out = join(dir, 'poisoned-export');
    const exported = await execa('node', [CLI, 'class', 'export', out, '--state', state], { reject: false, timeout: 60_000 });
    expect(exported.exitCode, exported.stderr).toBe(0);
    for (const f of Object.values(bad)) expect(exported.stderr).toMatch(new RegExp(`^warning: .*${f}.*: .+$`, 'm'));
    expect((await readdir(out)).filter((n) => n.startsWith('student-'))).toHaveLength(1);
    expect((await readFile(join(out, 'class.html'), 'utf8')).length).toBeLessThan(1024 * 1024);

    server = await startCliServer(state);
    try {
      expect(server.code).toBe(code);
      for (const f of Object.values(bad)) expect(server.stderr()).toMatch(new RegExp(`^warning: .*${f}.* set aside.*: .+$`, 'm'));
      expect(await readdir(machines)).toEqual([honest]);
      expect((await view(server)).machines.map((m) => m.hostname)).toEqual(['student-01']);
      expect((await send(`${server.url}/`, {})).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('serves other addresses while one address holds 2100 half-sent requests open (slowloris)', async () => {
    const server = await startCliServer(join(dir, 'slowloris'));
    const port = Number(new URL(server.url).port);
    const held: Socket[] = [];
    try {
      const open = (i: number) =>
        new Promise<void>((resolve) => {
          const sock = connect({ port, host: '127.0.0.1', localAddress: '127.0.5.1' }, () => {
            sock.write(`${i % 2 ? 'GET /' : 'POST /api/submit'} HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slow: `);
            resolve();
          });
          sock.on('error', () => resolve());
          sock.on('close', () => resolve());
          held.push(sock);
        });
      for (let i = 0; i < 2100; i += 300) await Promise.all(Array.from({ length: 300 }, (_, j) => open(i + j)));
      await new Promise((r) => setTimeout(r, 200));
      const honest = await Promise.all(
        Array.from({ length: 15 }, (_, i) =>
          send(`${server.url}/api/class`, { from: `127.0.6.${i + 1}` }).then(
            (r) => r.status,
            (err: Error) => err.message,
          ),
        ),
      );
      expect(honest).toEqual(Array(15).fill(200));
      expect((await submit(server.url, server.code, submission(1), addressOf(1))).status).toBe(200);
    } finally {
      for (const s of held) s.destroy();
      expect(await server.stop()).toBe(0);
    }
  });

  it('accepts the final results of 30 real clients behind one address, each sending its steps', async () => {
    const server = await startCliServer(join(dir, 'nat'));
    try {
      const logs = Array.from({ length: 30 }, lines);
      const clients = logs.map((l, i) => classSubmitter({ url: server.url, code: server.code, machineId: studentId(i, 'nat'), log: l.log }));
      clients.forEach((c, i) => c.results(studentResults(i)));
      for (let tick = 0; tick < 24; tick++) {
        clients.forEach((c) => c.step(`venv-python3: step ${tick}`));
        await new Promise((r) => setTimeout(r, 250));
      }
      const done = await Promise.all(clients.map((c, i) => c.finish('done', studentResults(i))));
      expect(done.filter(Boolean).length, logs.flatMap((l) => l.seen).filter((m) => m.startsWith('warning')).join('\n')).toBe(30);
      const machines = (await view(server)).machines;
      expect(machines.filter((m) => m.state === 'done')).toHaveLength(30);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('refuses to start on a damaged or missing class.json, naming the file and the fix; a client tells a new code from a wrong one', async () => {
    const state = join(dir, 'damaged');
    const first = await startCliServer(state);
    const port = new URL(first.url).port;
    const accepted = lines();
    const client = classSubmitter({ url: first.url, code: first.code, machineId: studentId(0, 'moved'), log: accepted.log, finalAttempts: 1 });
    expect((await submit(first.url, first.code, submission(1), addressOf(1))).status).toBe(200);
    client.results(studentResults(0));
    // Accepted: the server lists the client's machine beside the first one (no fixed sleep).
    for (let i = 0; i < 200 && (await view(first)).machines.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await view(first)).machines).toHaveLength(2);
    expect(await first.stop()).toBe(0);

    const classFile = join(state, 'class.json');
    const good = await readFile(classFile, 'utf8');
    const serve = () => execa('node', [CLI, 'class', 'serve', '--port', '0', '--state', state], { reject: false, timeout: 30_000 });
    for (const damaged of [good.slice(0, good.length / 2), '']) {
      await writeFile(classFile, damaged);
      const r = await serve();
      expect([r.exitCode, r.stderr.trim().split('\n').length], r.stderr).toEqual([2, 1]);
      expect(r.stderr).toContain(classFile);
      expect(r.stderr).toMatch(/restore/);
    }
    await rm(classFile);
    const missing = await serve();
    expect([missing.exitCode, missing.stderr.trim().split('\n').length], missing.stderr).toEqual([2, 1]);
    expect(missing.stderr).toContain(classFile);
    await expect(stat(classFile)).rejects.toThrow(/ENOENT/);

    // The teacher starts a new class on the same address: the client that was accepted says the code changed.
    const second = await startCliServer(join(dir, 'damaged-new'), ['--port', port]);
    try {
      expect(await client.finish('done', studentResults(0))).toBe(false);
      expect(accepted.seen.join('\n')).toMatch(/new class code/);
      const stranger = lines();
      const wrong = classSubmitter({ url: second.url, code: first.code === 'ABCDEF' ? 'ABCDEG' : 'ABCDEF', machineId: studentId(2, 'moved'), log: stranger.log, finalAttempts: 1 });
      expect(await wrong.finish('done', studentResults(2))).toBe(false);
      expect(stranger.seen.join('\n')).toMatch(/wrong class code/);
      expect(stranger.seen.join('\n')).not.toMatch(/new class code/);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('tallies verdicts recomputed from the measurements, never the ones a machine claims', async () => {
    const state = join(dir, 'forged');
    const server = await startCliServer(state);
    try {
      const claims = loadClaims();
      const results = studentResults(0, 'forger');
      for (const e of results.environments) Object.assign(e, { status: 'errored', reason: 'forged', metrics: {}, probes: [] });
      results.claims = claims.map((c) => ({ claimId: c.id, kind: c.kind, verdict: 'confirmed' as const }));
      const live = pushedPage(server.url, (h) => h.includes('forger'));
      expect((await submit(server.url, server.code, { machineId: studentId(0, 'forged'), state: 'done', results }, addressOf(0))).status).toBe(200);
      const page = await live;
      expect(page.match(/class="cell agree"/g) ?? []).toHaveLength(0);
      const [file] = await readdir(join(state, 'machines'));
      const stored = JSON.parse(await readFile(join(state, 'machines', file!), 'utf8')) as { results: RunResults };
      // Every environment errored with nothing measured: no claim can be judged, whatever the machine sent.
      expect(stored.results.claims.map((c) => c.claimId)).toEqual(claims.map((c) => c.id));
      const judged = stored.results.claims.filter((c) => ['confirmed', 'within-2x', 'off', 'refuted', 'inconclusive'].includes(c.verdict));
      expect(judged).toEqual([]);
      expect(stored.results.claims.filter((c) => c.verdict === 'not-measured').length).toBeGreaterThan(claims.length / 2);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('answers malformed requests with 400, keeps state private, and names export folders safely', async () => {
    const state = join(dir, 'hygiene');
    const server = await startCliServer(state);
    try {
      expect((await send(`${server.url}//%%%`, { from: '127.0.3.1' })).status).toBe(400);
      const nested = submission(0);
      nested.results.environments[0]!.probes[0]!.evidence = { deep: 'DEEP' };
      const body = JSON.stringify(nested).replace('"DEEP"', `${'{"d":'.repeat(100_000)}1${'}'.repeat(100_000)}`);
      const headers = { 'content-type': 'application/json', [CODE_HEADER]: server.code };
      const r = await send(`${server.url}${SUBMIT_PATH}`, { method: 'POST', body, headers, from: '127.0.3.2' });
      expect([r.status, r.body]).toEqual([400, expect.stringContaining('evidence')]);
      const dash = { machineId: studentId(1), state: 'done', results: studentResults(1, '--rf') };
      expect((await submit(server.url, server.code, dash, '127.0.3.3')).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect((await stat(state)).mode & 0o777).toBe(0o700);
    expect((await stat(join(state, 'class.json'))).mode & 0o777).toBe(0o600);
    const [file] = await readdir(join(state, 'machines'));
    expect((await stat(join(state, 'machines', file!))).mode & 0o777).toBe(0o600);
    const out = join(dir, 'hygiene-export');
    expect((await execa('node', [CLI, 'class', 'export', out, '--state', state], { reject: false, timeout: 60_000 })).exitCode).toBe(0);
    expect((await readdir(out)).filter((n) => n.startsWith('-'))).toEqual([]);
  });

  it('keeps the live view for everyone: one address gets a few live pages, and one that never reads is dropped', async () => {
    const { store } = await openClassStore(join(dir, 'streams'));
    const warnings: string[] = [];
    const server = await startClassServer({ store, lang: 'en', host: '127.0.0.1', port: 0, renderDelayMs: 10, heartbeatMs: 200, limits: { streamStallMs: 1000 }, warn: (l) => warnings.push(l) });
    const base = `http://127.0.0.1:${server.listening.port}`;
    const requests: ClientRequest[] = [];
    const stream = (from: string) =>
      new Promise<number>((resolve, reject) => {
        const req = get(`${base}/events`, { agent: false, localAddress: from }, (res) => {
          resolve(res.statusCode ?? 0);
          res.resume();
        });
        req.on('error', reject);
        requests.push(req);
      });
    const stalled = connect({ port: server.listening.port, host: '127.0.0.1', localAddress: '127.0.4.2' });
    try {
      const statuses = [];
      for (let i = 0; i < 20; i++) statuses.push(await stream('127.0.4.1'));
      expect(statuses.filter((s) => s === 200)).toHaveLength(8);
      expect(await stream('127.0.4.3')).toBe(200);

      let dropped = false;
      stalled.on('close', () => (dropped = true));
      stalled.write('GET /events HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
      stalled.pause();
      const projector = pushedPage(base, (h) => h.includes('student-30'));
      for (let i = 0; i < 30; i++) expect((await submit(base, store.code, submission(i), addressOf(i))).status).toBe(200);
      await projector;
      // More pages than the socket buffers take (the kernel's largest send buffer and 1 MiB more), so the stream stalls.
      const sendBuffer = Number((await readFile('/proc/sys/net/ipv4/tcp_wmem', 'utf8')).trim().split(/\s+/)[2]);
      const pageBytes = (await send(`${base}/`, { from: '127.0.9.1' })).body.length;
      for (let round = 0; round < Math.ceil((sendBuffer + 1024 * 1024) / pageBytes) + 10; round++) {
        await submit(base, store.code, submission(round % 30), addressOf(round % 30));
        await new Promise((r) => setTimeout(r, 5));
      }
      await new Promise((r) => setTimeout(r, 1500));
      stalled.on('error', () => undefined);
      stalled.resume();
      for (let i = 0; i < 50 && !dropped; i++) await new Promise((r) => setTimeout(r, 100));
      expect(dropped).toBe(true);
      expect(await pushedPage(base, (h) => h.includes('student-30'))).toContain('student-01');
    } finally {
      stalled.destroy();
      for (const r of requests) r.destroy();
      await server.close();
    }
  });

  it('caps the machines one address may add, and still takes their resubmissions', async () => {
    const { store } = await openClassStore(join(dir, 'fakes'));
    const server = await startClassServer({ store, lang: 'en', host: '127.0.0.1', port: 0, renderDelayMs: 10, limits: { machinesPerAddress: 3 }, warn: () => undefined });
    const base = `http://127.0.0.1:${server.listening.port}`;
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await submit(base, store.code, submission(i), '127.0.4.9')).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect((await submit(base, store.code, submission(0), '127.0.4.9')).status).toBe(200);
      expect((await submit(base, store.code, submission(5), '127.0.4.10')).status).toBe(200);
      expect(store.machines()).toHaveLength(4);
    } finally {
      await server.close();
    }
  });
});
