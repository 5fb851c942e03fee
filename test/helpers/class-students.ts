// Simulated students for the class server: recorded results varied per machine, posted from their own loopback address.
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { PACKAGE_ROOT } from '../../src/lifecycle/paths.js';
import type { RunResults } from '../../src/results/schema.js';
import { upgradeResults } from '../../src/results/upgrade.js';
import { CODE_HEADER, SUBMIT_PATH } from '../../src/class/submission.js';

/** The recorded real run (reports/sample/results.json), upgraded to the current results schema as a student's isobench writes it. */
export function recorded(): RunResults {
  return upgradeResults(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'reports', 'sample', 'results.json'), 'utf8'))) as RunResults;
}

/** Student i's results: the recorded run under another hostname, its numbers scaled by a factor between 0.6 and 1.9. */
export function studentResults(i: number, hostname = `student-${String(i + 1).padStart(2, '0')}`): RunResults {
  const r = recorded();
  r.host.hostname = hostname;
  r.runId = `${r.runId}-s${i}`;
  const f = 0.6 + ((i * 37) % 17) / 12;
  for (const e of r.environments) for (const m of Object.values(e.metrics)) m.value *= f;
  r.claims = [];
  return r;
}

/** A machine id for student i (what the student's isobench keeps in its cache folder). */
export const studentId = (i: number, salt = 'test') => `${salt}-student-${String(i).padStart(4, '0')}-id`;

export interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  ms: number;
}

/** One HTTP request from a chosen loopback address (127.0.0.x: each student its own, as in a room). */
export function send(url: string, opts: { method?: string; body?: string | Buffer; headers?: Record<string, string>; from?: string }): Promise<Reply> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false, localAddress: opts.from }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers, ms: performance.now() - t0 }));
    });
    req.setTimeout(60_000, () => req.destroy(new Error('no answer in 60 s')));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Posts a submission as the run does. */
export function submit(base: string, code: string, body: unknown, from?: string): Promise<Reply> {
  return send(new URL(SUBMIT_PATH, base).href, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', [CODE_HEADER]: code }, from });
}

/** Student i's loopback address: 127.0.1.i (each student its own client for the rate limit). */
export const addressOf = (i: number) => `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;

export interface CliServer {
  url: string;
  code: string;
  pid: number;
  stdout: () => string;
  stderr: () => string;
  /** Ctrl-C: the server closes and the process exits. */
  stop(): Promise<number>;
}

/** Starts `isobench class serve` from the built CLI on a free 127.0.0.1 port and reads its code and address. */
export async function startCliServer(state: string, extra: string[] = []): Promise<CliServer> {
  const child: ResultPromise = execa('node', [join(PACKAGE_ROOT, 'bin', 'isobench.js'), 'class', 'serve', '--port', '0', '--state', state, ...extra], { reject: false, timeout: 900_000 });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const ready = await new Promise<{ url: string; code: string }>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /class page: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)?.[1];
      const code = /class code: ([A-Z0-9]{6})/.exec(out)?.[1];
      if (url && code && out.includes('students type:')) resolve({ url, code });
    });
    void child.then((r) => reject(new Error(`class serve exited (${r.exitCode}): ${r.stderr}`)));
  });
  return {
    ...ready,
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    async stop() {
      child.kill('SIGINT');
      return (await child).exitCode ?? -1;
    },
  };
}

/** p-th percentile (0..100) of numbers, by the nearest rank. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
