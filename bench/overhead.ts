// Overhead: what isobench's process timing (lifecycle/process.ts run()) adds per sample over a bare spawn loop.
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

/** Medians of run() vs bare spawn of `true` (interleaved), their difference, and hyperfine's `true` for scale. */
export async function overhead(opts: BenchOptions): Promise<SectionResult> {
  const n = opts.quick ? 50 : 200;
  const rounds = opts.quick ? 2 : 5;
  const argv = ['true'];
  await loop(20, () => bareSpawn(argv));
  await loop(20, async () => (await run(argv, { step: 'true', timeoutMs: 10_000 })).durationMs);
  const { a: isobench, b: bare } = await interleave(
    rounds,
    () => loop(n, async () => (await run(argv, { step: 'true', timeoutMs: 10_000 })).durationMs),
    () => loop(n, () => bareSpawn(argv)),
  );
  const hf = await hyperfine(argv, { runs: n, warmups: 20, workDir: opts.ctx.workDir });
  const diff = med(isobench) - med(bare);
  return {
    rows: [
      {
        section: 'overhead',
        what: 'process timing of `true`: isobench run() vs bare child_process.spawn',
        isobench: fmtMs(med(isobench)),
        reference: `${fmtMs(med(bare))} (hyperfine ${fmtMs(med(hf))})`,
        result: `+${fmtMs(diff)} a sample`,
        target: `< ${TARGET_MS} ms`,
        met: diff < TARGET_MS,
      },
    ],
    data: { samplesEach: isobench.length, isobenchMs: med(isobench), bareSpawnMs: med(bare), hyperfineMs: med(hf), overheadMs: diff },
    skipped: [],
  };
}
