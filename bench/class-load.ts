// Class server load: simulated students on loopback submitting a full results file at once, a fixed number of rounds
// (the loop stops by itself), in two rooms: 60 students each on their own address, and 30 behind one address (a NAT,
// a port proxy); latency and acceptance of their submissions, of the page during the burst, and of the live push.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { addressOf, percentile, send, startCliServer, studentId, studentResults, submit } from '../test/helpers/class-students.js';
import { pushedPage } from '../test/helpers/sse.js';
import { fmtMs, type Row, type SectionResult } from './lib.js';

/** CPU time (user + system) a process has used so far, in ms, from /proc (clock ticks of 10 ms). */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
/** The server keeps up when 95% of submissions are acknowledged (written to disk) within this. */
const TARGET_P95_MS = 2000;

/** A room: how many students, and the loopback address student i sends from. */
interface Room {
  name: string;
  students: number;
  from: (i: number) => string;
}
const ROOMS: Room[] = [
  { name: 'distinct addresses', students: 60, from: addressOf },
  { name: 'one address', students: 30, from: () => '127.0.3.1' },
];

/** `rounds` bursts of the room's simultaneous submissions (each student its own machine id) against a fresh server. */
async function roomLoad(room: Room, rounds: number, log: (msg: string) => void) {
  const dir = await mkdtemp(join(tmpdir(), 'isobench-bench-class-'));
  const server = await startCliServer(join(dir, 'state'));
  const submitMs: number[] = [];
  const pageMs: number[] = [];
  const pushMs: number[] = [];
  const rejected: string[] = [];
  let serverCpuMs = 0;
  try {
    const bodies = Array.from({ length: room.students }, (_, i) => ({ machineId: studentId(i, 'bench'), state: 'done', results: studentResults(i) }));
    const cpu0 = await cpuMs(server.pid);
    for (let round = 0; round < rounds; round++) {
      bodies.forEach((b, i) => (b.results.host.hostname = `r${round}-student-${String(i).padStart(2, '0')}`));
      const names = bodies.map((b) => b.results.host.hostname);
      const t0 = performance.now();
      const burst = bodies.map((b, i) => submit(server.url, server.code, b, room.from(i)));
      const page = send(`${server.url}/`, { from: '127.0.7.1' });
      const replies = await Promise.all(burst);
      pageMs.push((await page).ms);
      for (const r of replies) {
        if (r.status === 200) submitMs.push(r.ms);
        else rejected.push(`${r.status} ${r.body.trim()}`);
      }
      // The first event is the page as it is now: the push is timed from the burst's start to a page with every accepted name.
      const accepted = names.filter((_, i) => replies[i]!.status === 200);
      pushMs.push(await pushedPage(server.url, (html) => accepted.every((n) => html.includes(n))).then(() => performance.now() - t0));
      log(`class load (${room.name}): round ${round + 1}/${rounds}: p95 ${fmtMs(percentile(replies.map((r) => r.ms), 95))}`);
    }
    serverCpuMs = (await cpuMs(server.pid)) - cpu0;
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return { room: room.name, students: room.students, rounds, serverCpuMs, submitMs, pageMs, pushMs, rejected, p50: percentile(submitMs, 50), p95: percentile(submitMs, 95), max: percentile(submitMs, 100) };
}

/** Both rooms, one after the other, each on its own server. */
export async function classLoad(opts: { quick: boolean; log: (msg: string) => void }): Promise<SectionResult> {
  const rounds = opts.quick ? 2 : 5;
  const kb = Math.round(JSON.stringify(studentResults(0)).length / 1024);
  const rows: Row[] = [];
  const data: Record<string, unknown> = { cpuModel: cpus()[0]?.model, loadAverage: loadavg() };
  for (const room of ROOMS) {
    const r = await roomLoad(room, rounds, opts.log);
    data[room.name] = r;
    const total = room.students * rounds;
    rows.push(
      {
        section: 'class',
        what: `${room.students} students (${room.name}) submit a ${kb} KB results file at once (${rounds} rounds, loopback)`,
        isobench: `p50 ${fmtMs(r.p50)}`,
        reference: '',
        result: `p95 ${fmtMs(r.p95)}, max ${fmtMs(r.max)}; ${r.submitMs.length}/${total} accepted${r.rejected.length ? ` (first refusal: ${r.rejected[0]})` : ''}`,
        target: `p95 < ${fmtMs(TARGET_P95_MS)}, all accepted`,
        met: r.p95 < TARGET_P95_MS && r.rejected.length === 0,
      },
      {
        section: 'class',
        what: `${room.name}: class page GET during each burst; live push showing all ${room.students} after the burst began`,
        isobench: `page max ${fmtMs(Math.max(...r.pageMs))}`,
        reference: '',
        result: `push median ${fmtMs(percentile(r.pushMs, 50))}, max ${fmtMs(Math.max(...r.pushMs))}`,
        target: '',
        met: null,
      },
      {
        section: 'class',
        what: `${room.name}: server CPU time (user + system) per accepted submission, page renders and disk writes included`,
        isobench: fmtMs(r.serverCpuMs / Math.max(r.submitMs.length, 1)),
        reference: '',
        result: `${fmtMs(r.serverCpuMs)} for ${r.submitMs.length}`,
        target: '',
        met: null,
      },
    );
  }
  return { rows, data, skipped: [] };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await classLoad({ quick: process.argv.includes('--quick'), log: (m) => process.stderr.write(`${m}\n`) });
  for (const row of r.rows) process.stdout.write(`${row.what}: ${row.isobench}; ${row.result}${row.target ? ` (target ${row.target}: ${row.met ? 'met' : 'MISSED'})` : ''}\n`);
}
