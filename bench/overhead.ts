// Overhead: what isobench's process timing adds per sample over hyperfine, for the helper and for execa.
import { spawn } from 'node:child_process';
import { run } from '../src/lifecycle/process.js';
import { fmtMs, hyperfine, interleave, med, type BenchOptions, type SectionResult } from './lib.js';

const TARGET_MS = 1;

/** One bare `child_process.spawn` of argv, piped like run() pipes, timed from spawn to the process's exit. */
export function bareSpawn(argv: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    let tExit = 0;
    const t0 = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.on('error', reject);
    child.on('exit', () => (tExit = performance.now()));
    child.on('close', () => resolve(tExit - t0));
  });
}

async function loop(n: number, once: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await once());
  return out;
}

export interface TrueOverhead {
  n: number;
  timerMs: number;
  hyperfineMs: number;
  execaMs: number;
  bareMs: number;
  /** The helper's median minus hyperfine's: what isobench's timing adds to every sample. */
  diffMs: number;
  execaDiffMs: number;
}

let measured: Promise<TrueOverhead> | undefined;

/**
 * `true` through the timing helper (what samples use), through execa run() (what they used before, and
 * everything else still uses), through a bare child_process.spawn, and under hyperfine, interleaved;
 * the helper's and execa's medians minus hyperfine's. Measured once a bench run (overhead and fidelity share it).
 */
export function trueOverhead(opts: BenchOptions): Promise<TrueOverhead> {
  measured ??= (async () => {
    const n = opts.quick ? 50 : 200;
    const rounds = opts.quick ? 2 : 5;
    const argv = ['true'];
    const step = { step: 'true', timeoutMs: 10_000 };
    const timer = async () => (await opts.ctx.timer.run(argv, step)).durationMs;
    const execa = async () => (await run(argv, step)).durationMs;
    await loop(20, timer);
    await loop(20, execa);
    await loop(20, () => bareSpawn(argv));
    const s = await interleave(rounds, {
      timer: () => loop(n, timer),
      hyperfine: () => hyperfine(argv, { runs: n, warmups: 5, workDir: opts.ctx.workDir }),
      execa: () => loop(n, execa),
      bare: () => loop(n, () => bareSpawn(argv)),
    });
    const hf = med(s.hyperfine);
    return { n: s.timer.length, timerMs: med(s.timer), hyperfineMs: hf, execaMs: med(s.execa), bareMs: med(s.bare), diffMs: med(s.timer) - hf, execaDiffMs: med(s.execa) - hf };
  })();
  return measured;
}

export async function overhead(opts: BenchOptions): Promise<SectionResult> {
  const o = await trueOverhead(opts);
  const hf = o.hyperfineMs;
  const diff = o.diffMs;
  const execaDiff = o.execaDiffMs;
  return {
    rows: [
      {
        section: 'overhead',
        what: `process timing of \`true\`: isobench (posix_spawn helper) vs hyperfine, ${o.n} a side`,
        isobench: fmtMs(o.timerMs),
        reference: `${fmtMs(hf)} (hyperfine)`,
        result: `${diff >= 0 ? '+' : ''}${fmtMs(diff)} a sample`,
        target: `< ${TARGET_MS} ms`,
        met: diff < TARGET_MS,
      },
      {
        section: 'overhead',
        what: 'the same through execa run() (Node spawn: the path before; bare child_process.spawn beside)',
        isobench: fmtMs(o.execaMs),
        reference: `${fmtMs(hf)} (hyperfine; bare spawn ${fmtMs(o.bareMs)})`,
        result: `${execaDiff >= 0 ? '+' : ''}${fmtMs(execaDiff)} a sample`,
        target: '(no target)',
        met: null,
      },
    ],
    data: {
      samplesEach: o.n,
      timerMs: o.timerMs,
      hyperfineMs: hf,
      execaRunMs: o.execaMs,
      bareSpawnMs: o.bareMs,
      overheadOverHyperfineMs: diff,
      execaOverheadOverHyperfineMs: execaDiff,
    },
    skipped: [],
  };
}
