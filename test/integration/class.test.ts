// The live classroom against a real class server (the built CLI on a free 127.0.0.1 port): simulated students posting
// recorded results, bad inputs, a restart, a resubmission, 60 students at once, and a real `isobench run --submit`.
import { connect, createServer } from 'node:net';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/lifecycle/paths.js';
import { OUT_MARKER } from '../../src/run/output.js';
import { CODE_HEADER, SUBMIT_PATH } from '../../src/class/submission.js';
import { DEFAULT_LIMITS } from '../../src/class/server.js';
import { pushedPage } from '../helpers/sse.js';
import { addressOf, recorded, send, startCliServer, studentId, studentResults, submit, type CliServer } from '../helpers/class-students.js';

const CLI = join(PACKAGE_ROOT, 'bin', 'isobench.js');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isobench-test-class-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface ClassView {
  machines: { hostname: string; state: string; step: string | null; environments: { name: string; status: string }[] }[];
}
/** The server's list of machines, asked from an address of its own (so polling never meets a student's rate limit). */
const view = async (s: CliServer) => JSON.parse((await send(`${s.url}/api/class`, { from: '127.0.8.1' })).body) as ClassView;
const submission = (i: number, extra: Record<string, unknown> = {}) => ({ machineId: studentId(i), state: 'done', results: studentResults(i), ...extra });

/** A request whose headers promise a body that only partly arrives; resolves with what the server answered and when. */
function halfSent(url: string, code: string): Promise<{ answer: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const sock = connect(Number(new URL(url).port), '127.0.0.1', () => {
      sock.write(`POST ${SUBMIT_PATH} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n${CODE_HEADER}: ${code}\r\ncontent-length: 5000\r\n\r\n{"machineId":`);
    });
    let answer = '';
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => (answer += d));
    sock.on('close', () => resolve({ answer, ms: performance.now() - t0 }));
    sock.on('error', reject);
    sock.setTimeout(60_000, () => sock.destroy(new Error('no answer to a half-sent request in 60 s')));
  });
}

/**
 * A request over the size limit whose client goes on sending after the server has answered, and reads only then
 * (as a slow uploader does). Resolves with the status line it read. A server that closes at once, with bytes unread,
 * makes the kernel reset the connection, and the client sees ECONNRESET instead of the answer.
 */
function readAfterSending(url: string, code: string): Promise<string> {
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  return new Promise((resolve) => {
    const sock = connect(Number(new URL(url).port), '127.0.0.1');
    sock.pause();
    let answer = '';
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => (answer += d));
    sock.on('error', (e: NodeJS.ErrnoException) => resolve(`${e.code} after ${JSON.stringify(answer)}`));
    sock.on('end', () => resolve(answer.split('\r\n')[0]!));
    sock.setTimeout(60_000, () => sock.destroy(new Error('no answer in 60 s')));
    sock.on('connect', async () => {
      sock.write(`POST ${SUBMIT_PATH} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n${CODE_HEADER}: ${code}\r\ncontent-length: ${4 * 1024 * 1024}\r\n\r\n`);
      sock.write(Buffer.alloc(64 * 1024, 0x20));
      await pause(300);
      sock.write(Buffer.alloc(64 * 1024, 0x20));
      await pause(300);
      sock.resume();
    });
  });
}

/** A free TCP port on 127.0.0.1 (nothing listens on it when this returns). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

describe('class server (isobench class serve)', { timeout: 240_000 }, () => {
  it("prints its code, address and the students' command; accepts recorded results; escapes names; pushes updates live", async () => {
    const server = await startCliServer(join(dir, 'a'));
    try {
      expect(server.stdout()).toMatch(/listening on 127\.0\.0\.1:\d+ \(this machine only/);
      expect(server.stdout()).toContain(`npm run isobench -- run --submit ${server.url} --code ${server.code}`);
      const first = await submit(server.url, server.code, submission(0), addressOf(0));
      expect(first.status, first.body).toBe(200);

      const hostile = '<img src=x onerror=alert(1)>';
      const pushed = pushedPage(server.url, (h) => h.includes('&#60;img src=x onerror=alert(1)&#62;'));
      expect((await submit(server.url, server.code, submission(1), addressOf(1))).status).toBe(200);
      expect((await submit(server.url, server.code, { ...submission(2), results: studentResults(2, hostile) }, addressOf(2))).status).toBe(200);
      const live = await pushed;
      expect(live).toContain('student-01');

      const page = await send(`${server.url}/`, {});
      expect(page.status).toBe(200);
      expect(page.body).not.toContain(hostile);
      expect(page.body).toContain('&#60;img src=x onerror=alert(1)&#62;');
      expect(page.body).toContain(`--code ${server.code}`);
      expect(page.body).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
      expect(page.body).not.toMatch(/<link|@import|url\((?!#)/);
      const projection = await send(`${server.url}/?mode=projection`, {});
      expect(projection.body).toMatch(/<html class="projection"/);
      expect((await view(server)).machines.map((m) => m.hostname).sort()).toEqual([hostile, 'student-01', 'student-02']);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('answers bad inputs with clear HTTP errors and keeps serving the others', async () => {
    const server = await startCliServer(join(dir, 'b'));
    const post = (body: string | Buffer, headers: Record<string, string> = {}, from = addressOf(9)) =>
      send(`${server.url}${SUBMIT_PATH}`, { method: 'POST', body, headers: { 'content-type': 'application/json', [CODE_HEADER]: server.code, ...headers }, from });
    try {
      const slow = halfSent(server.url, server.code);
      const garbage = await post('{"machineId": "abc", this is not json');
      expect([garbage.status, garbage.body]).toEqual([400, expect.stringContaining('not JSON')]);
      const wrongShape = await post(JSON.stringify({ ...submission(3), results: { hello: 'world' } }));
      expect([wrongShape.status, wrongShape.body]).toEqual([400, expect.stringContaining('results.')]);
      const badId = await post(JSON.stringify({ ...submission(3), machineId: '../../etc/passwd' }));
      expect([badId.status, badId.body]).toEqual([400, expect.stringContaining('machineId')]);
      expect((await post(JSON.stringify(submission(3)), { [CODE_HEADER]: 'ZZZZZZ' })).status).toBe(403);
      expect((await send(`${server.url}${SUBMIT_PATH}`, { method: 'POST', body: JSON.stringify(submission(3)), headers: { 'content-type': 'application/json' } })).status).toBe(401);
      expect((await post('x=1', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
      const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
      expect((await post(big)).status).toBe(413);
      expect((await post(big, { 'transfer-encoding': 'chunked' })).status).toBe(413);
      expect(await readAfterSending(server.url, server.code)).toBe('HTTP/1.1 413 Payload Too Large');
      expect((await send(`${server.url}${SUBMIT_PATH}`, { from: addressOf(9) })).status).toBe(405);
      expect((await send(`${server.url}/nope`, { from: addressOf(9) })).status).toBe(404);

      // A flood from one address: at most the burst plus what the bucket refills while it lasts gets through (no wall-time limit).
      const flood = [];
      const t0 = performance.now();
      for (let i = 0; i < 300; i++) flood.push(await send(`${server.url}/api/class`, { from: '127.0.9.9' }));
      const { burst, perSecond } = DEFAULT_LIMITS.rate;
      const mayPass = burst + Math.ceil(((performance.now() - t0) / 1000) * perSecond);
      const limited = flood.filter((r) => r.status === 429);
      expect(flood.slice(0, burst).map((r) => r.status)).not.toContain(429);
      expect(limited.length).toBeGreaterThanOrEqual(Math.min(1, 300 - mayPass));
      expect(flood.length - limited.length).toBeLessThanOrEqual(mayPass);
      expect(Number(limited[0]!.headers['retry-after'])).toBeGreaterThan(0);

      const other = await submit(server.url, server.code, submission(4), addressOf(4));
      expect(other.status, other.body).toBe(200);
      const { answer, ms } = await slow;
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(ms).toBeLessThan(40_000);
      expect((await view(server)).machines.map((m) => m.hostname)).toEqual(['student-05']);
      expect((await send(`${server.url}/`, {})).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('keeps every machine over a restart; a resubmission replaces only its own entry, even under the same name', async () => {
    const state = join(dir, 'c');
    let server = await startCliServer(state);
    const code = server.code;
    const a = { ...submission(0), results: studentResults(0, 'lab-pc') };
    const b = { machineId: studentId(1), state: 'running', step: 'venv-python3: install', results: studentResults(1, 'lab-pc') };
    expect((await submit(server.url, code, a, addressOf(0))).status).toBe(200);
    expect((await submit(server.url, code, b, addressOf(1))).status).toBe(200);
    expect((await submit(server.url, code, submission(2), addressOf(2))).status).toBe(200);
    expect(await server.stop()).toBe(0);
    expect(await readdir(join(state, 'machines'))).toHaveLength(3);

    server = await startCliServer(state);
    try {
      expect(server.code).toBe(code);
      expect(server.stdout()).toContain('3 machine(s) kept');
      const before = await view(server);
      expect(before.machines.map((m) => m.hostname).sort()).toEqual(['lab-pc', 'lab-pc', 'student-03']);
      const page = (await send(`${server.url}/`, {})).body;
      expect(page).toMatch(/lab-pc #1\b/);
      expect(page).toMatch(/lab-pc #2\b/);

      const again = { ...b, state: 'done', step: undefined, results: { ...studentResults(1, 'lab-pc'), environments: studentResults(1).environments.filter((e) => e.kind === 'venv') } };
      expect((await submit(server.url, code, again, addressOf(1))).status).toBe(200);
      const after = await view(server);
      expect(after.machines).toHaveLength(3);
      const labs = after.machines.filter((m) => m.hostname === 'lab-pc');
      expect(labs.map((m) => [m.state, m.environments.length]).sort()).toEqual([
        ['done', 1],
        ['done', recorded().environments.length], // the full recorded run: venv, docker and its VM rows
      ]);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('accepts 60 students submitting at once and still answers the page', async () => {
    const server = await startCliServer(join(dir, 'd'));
    try {
      const stream = pushedPage(server.url, (h) => h.includes('student-60'));
      const replies = await Promise.all(Array.from({ length: 60 }, (_, i) => submit(server.url, server.code, submission(i), addressOf(i))));
      expect(replies.map((r) => r.status)).toEqual(Array(60).fill(200));
      expect(await stream).toContain('student-01');
      expect((await view(server)).machines).toHaveLength(60);
      const page = await send(`${server.url}/`, {});
      expect(page.status).toBe(200);
      expect(page.body.match(/class="dot dot-venv"/g)).toHaveLength(4 * 60); // start, disk, workload-memory and host-memory charts
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('exports every machine for isobench report, and the class page as self-contained HTML', async () => {
    const state = join(dir, 'e');
    const server = await startCliServer(state);
    for (const i of [0, 1, 2]) expect((await submit(server.url, server.code, submission(i), addressOf(i))).status).toBe(200);
    expect(await server.stop()).toBe(0);
    const out = join(dir, 'export');
    const r = await execa('node', [CLI, 'class', 'export', out, '--state', state], { reject: false, timeout: 60_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    const folders = (await readdir(out)).filter((n) => n.startsWith('student-')).sort();
    expect(folders).toHaveLength(3);
    const html = await readFile(join(out, 'class.ko.html'), 'utf8');
    expect(html).toContain('우리 반');
    expect(html).not.toContain('<script');
    const merged = await execa('node', [CLI, 'report', ...folders.map((f) => join(out, f, 'results.json')), '--format', 'md', '--lang', 'en'], { reject: false, timeout: 60_000 });
    expect(merged.exitCode, merged.stderr).toBe(0);
    expect(merged.stdout).toMatch(/student-01[\s\S]*student-02[\s\S]*student-03/);
    const missing = await execa('node', [CLI, 'class', 'export', join(dir, 'export2'), '--state', join(dir, 'nothing')], { reject: false, timeout: 60_000 });
    expect([missing.exitCode, missing.stderr]).toEqual([2, expect.stringContaining('holds no class')]);
  });
});

describe('class command: bad flags', { timeout: 120_000 }, () => {
  it('exits 2 with one line naming the cause and the fix, and leaves no state folder behind', async () => {
    const taken = await startCliServer(join(dir, 'g'));
    try {
      const cases: [string[], RegExp][] = [
        [['class', 'serve', '--port', new URL(taken.url).port], /port \d+ on 127\.0\.0\.1 is taken; pass another --port/],
        [['class', 'serve', '--listen', '192.0.2.77', '--port', '0'], /--listen 192\.0\.2\.77: not an address of this machine/],
        [['class', 'serve', '--lang', 'fr'], /--lang: expected en or ko/],
        [['class', 'serve', '--port', '70000'], /--port: expected a port number/],
        [['class', 'teach'], /class: expected serve or export/],
        [['run', '--only', 'venv', '--submit', 'http://127.0.0.1:1'], /--submit and --code go together/],
      ];
      for (const [args, message] of cases) {
        const state = join(dir, `bad-${cases.findIndex((c) => c[0] === args)}`);
        const r = await execa('node', [CLI, ...args, ...(args[0] === 'class' && args[1] === 'serve' ? ['--state', state] : [])], { reject: false, timeout: 60_000 });
        expect([r.exitCode, r.stderr.trim().split('\n').length], r.stderr).toEqual([2, 1]);
        expect(r.stderr).toMatch(message);
        await expect(readdir(state)).rejects.toThrow(/ENOENT/);
      }
    } finally {
      expect(await taken.stop()).toBe(0);
    }
  });
});

describe('isobench run --submit (a real venv run)', () => {
  it('warns while the class server is down, sends live once it is up, and delivers the final results', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // The teacher's class already exists (a restart): its state folder holds the class code.
    const state = join(dir, 'f');
    await mkdir(state, { recursive: true });
    await writeFile(join(state, OUT_MARKER), '');
    await writeFile(join(state, 'class.json'), JSON.stringify({ code: 'ABCDEF', createdAt: new Date().toISOString() }));

    const run = execa('node', [CLI, 'run', '--only', 'venv', '--samples', '1', '--lang', 'en', '--out', join(dir, 'run'), '--submit', url, '--code', 'abcdef'], { reject: false, timeout: 900_000 });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      run.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/class server .* not reachable/.test(stderr)) resolve();
      });
      void run.then(() => reject(new Error(`the run ended without warning: ${stderr}`)));
    });
    const server = await startCliServer(state, ['--port', String(port)]).catch((err: Error) => {
      run.kill('SIGINT');
      throw err;
    });
    try {
      const seen: string[] = [];
      let finished = false;
      void run.then(() => (finished = true));
      while (!finished) {
        for (const m of (await view(server)).machines) seen.push(`${m.state}${m.step ? `: ${m.step}` : ''}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      const r = await run;
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toContain(`results sent to the class server ${url}`);
      expect(seen.some((s) => s.startsWith('running: venv-python3:')), seen.join('\n')).toBe(true);
      const [machine, ...others] = (await view(server)).machines;
      expect(others).toHaveLength(0);
      expect(machine).toMatchObject({ hostname: hostname(), state: 'done', environments: [{ name: 'venv-python3', status: 'completed' }] });
      const local = JSON.parse(await readFile(join(dir, 'run', 'results.json'), 'utf8')) as { runId: string };
      const stored = (await readdir(join(state, 'machines'))).filter((n) => n.endsWith('.json'));
      expect(stored).toHaveLength(1);
      expect(await readFile(join(state, 'machines', stored[0]!), 'utf8')).toContain(local.runId);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 900_000);
});
