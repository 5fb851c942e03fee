// Class server load: 60 simulated students on 127.0.0.1 submitting a full results file at once, a fixed number of
// rounds (the loop stops by itself); latency of their submissions, of the page during the burst, and of the live push.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { addressOf, percentile, send, startCliServer, studentId, studentResults, submit } from '../test/helpers/class-students.js';
import { pushedPage } from '../test/helpers/sse.js';
import { fmtMs, type Row, type SectionResult } from './lib.js';

const STUDENTS = 60;

/** CPU time (user + system) a process has used so far, in ms, from /proc (clock ticks of 10 ms). */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
/** The server keeps up when 95% of submissions are acknowledged (written to disk) within this. */
const TARGET_P95_MS = 2000;

/** `rounds` bursts of 60 simultaneous submissions (each student its own loopback address and machine id). */
export async function classLoad(opts: { quick: boolean; log: (msg: string) => void }): Promise<SectionResult> {
  const rounds = opts.quick ? 2 : 5;
  const dir = await mkdtemp(join(tmpdir(), 'isobench-bench-class-'));
  const server = await startCliServer(join(dir, 'state'));
  const submitMs: number[] = [];
  const pageMs: number[] = [];
  const pushMs: number[] = [];
  const rejected: string[] = [];
  let serverCpuMs = 0;
  try {
    const bodies = Array.from({ length: STUDENTS }, (_, i) => ({ machineId: studentId(i, 'bench'), state: 'done', results: studentResults(i) }));
    const cpu0 = await cpuMs(server.pid);
    for (let round = 0; round < rounds; round++) {
      bodies.forEach((b, i) => (b.results.host.hostname = `r${round}-student-${String(i).padStart(2, '0')}`));
      const names = bodies.map((b) => b.results.host.hostname);
      const t0 = performance.now();
      const live = pushedPage(server.url, (html) => names.every((n) => html.includes(n))).then(() => performance.now() - t0);
      const burst = bodies.map((b, i) => submit(server.url, server.code, b, addressOf(i)));
      const page = send(`${server.url}/`, { from: '127.0.7.1' });
      const replies = await Promise.all(burst);
      pageMs.push((await page).ms);
      for (const r of replies) {
        if (r.status === 200) submitMs.push(r.ms);
        else rejected.push(`${r.status} ${r.body.trim()}`);
      }
      pushMs.push(await live);
      opts.log(`class load: round ${round + 1}/${rounds}: p95 ${fmtMs(percentile(replies.map((r) => r.ms), 95))}`);
    }
    serverCpuMs = (await cpuMs(server.pid)) - cpu0;
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const p = (q: number) => percentile(submitMs, q);
  const rows: Row[] = [
    {
      section: 'class',
      what: `${STUDENTS} students submit a ${Math.round(JSON.stringify(studentResults(0)).length / 1024)} KB results file at once (${rounds} rounds, 127.0.0.1)`,
      isobench: `p50 ${fmtMs(p(50))}`,
      reference: '',
      result: `p95 ${fmtMs(p(95))}, max ${fmtMs(p(100))}; ${submitMs.length}/${STUDENTS * rounds} accepted`,
      target: `p95 < ${fmtMs(TARGET_P95_MS)}, all accepted`,
      met: p(95) < TARGET_P95_MS && rejected.length === 0,
    },
    {
      section: 'class',
      what: `class page GET during each burst; live push showing all ${STUDENTS} after the burst began`,
      isobench: `page max ${fmtMs(Math.max(...pageMs))}`,
      reference: '',
      result: `push median ${fmtMs(percentile(pushMs, 50))}, max ${fmtMs(Math.max(...pushMs))}`,
      target: '',
      met: null,
    },
    {
      section: 'class',
      what: 'server CPU time (user + system) per accepted submission, page renders and disk writes included',
      isobench: fmtMs(serverCpuMs / Math.max(submitMs.length, 1)),
      reference: '',
      result: `${fmtMs(serverCpuMs)} for ${submitMs.length}`,
      target: '',
      met: null,
    },
  ];
  const data = { students: STUDENTS, rounds, serverCpuMs, submitMs, pageMs, pushMs, rejected, p50: p(50), p95: p(95), max: p(100) };
  return { rows, data, skipped: [] };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await classLoad({ quick: process.argv.includes('--quick'), log: (m) => process.stderr.write(`${m}\n`) });
  for (const row of r.rows) process.stdout.write(`${row.what}: ${row.isobench}; ${row.result}${row.target ? ` (target ${row.target}: ${row.met ? 'met' : 'MISSED'})` : ''}\n`);
}
