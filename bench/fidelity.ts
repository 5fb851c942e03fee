// Fidelity: isobench's median of each process-level sample against hyperfine's median of the same command,
// side by side in interleaved rounds; the ratio of medians with its interval.
import { join } from 'node:path';
import { activateArgv, BARE_BASH_ARGV } from '../src/drivers/venv/activate.js';
import { labelFlags } from '../src/lifecycle/labels.js';
import { run, type RunOptions } from '../src/lifecycle/process.js';
import { sampleReported } from '../src/measure/clock.js';
import { fmtMs, hyperfine, interleave, med, withinRatio, type BenchOptions, type Row, type SectionResult } from './lib.js';
import { ratioOfMedians, type RatioOfMedians } from './ratio.js';
import { trueOverhead, type TrueOverhead } from './overhead.js';
import type { Prepared } from './fixtures.js';
import type { DockerEnv } from '../src/drivers/docker/types.js';
import type { VenvEnv, VenvInstance } from '../src/drivers/venv/driver.js';

const TOLERANCE = 0.02;

type Sampler = (n: number, warmups: number) => Promise<number[]>;

interface Case {
  what: string;
  /** The exact argv hyperfine runs. */
  argv: string[];
  /** Whether the ±2% target applies (the venv import and docker run); the others are stated. */
  targeted: boolean;
  /** isobench's way of timing it: `n` samples after `warmups`. */
  isobench: Sampler;
  /** The same command through execa run(), the path samples took before the timing helper (for comparison). */
  execa?: Sampler;
}

const fmtRatio = (r: RatioOfMedians) =>
  `${r.ratio.toFixed(3)}×${r.interval ? ` (CI ${r.interval[0].toFixed(3)}–${r.interval[1].toFixed(3)}, ${(r.coverage! * 100).toFixed(1)}%)` : ''}`;

/**
 * What a timing method's fixed per-sample cost does to a command of hyperfine's median duration: the
 * ratio (hyperfine + added) / hyperfine. The added cost is measured on `true` with hundreds of samples a
 * side, so this is precise where a side-by-side ratio of a 300 ms command (CV 5–10%) cannot resolve 2%.
 */
export function expectedRatio(hyperfineMs: number, addedMs: number): number {
  return (hyperfineMs + addedMs) / hyperfineMs;
}

/**
 * The ±2% target is judged on the expected ratio, and only where the side-by-side interval contains it
 * (nothing beyond the per-sample cost differs); a side-by-side interval that excludes it is a miss.
 */
export function fidelityMet(expected: number, side: RatioOfMedians, tolerance = TOLERANCE): boolean | null {
  const consistent = consistentWith(expected, side);
  return consistent === undefined ? null : consistent && withinRatio(expected, tolerance);
}

/** Whether the side-by-side interval contains the expected ratio; undefined without an interval. */
function consistentWith(expected: number, side: RatioOfMedians): boolean | undefined {
  return side.interval ? side.interval[0] <= expected && expected <= side.interval[1] : undefined;
}

function rows(c: Case, s: { isobench: number[]; hyperfine: number[]; execa?: number[] }, o: TrueOverhead): Row[] {
  const hf = med(s.hyperfine);
  const row = (what: string, samples: number[], added: number, targeted: boolean): Row => {
    const side = ratioOfMedians(samples, s.hyperfine);
    const expected = expectedRatio(hf, added);
    const consistent = consistentWith(expected, side);
    return {
      section: 'fidelity',
      what,
      isobench: fmtMs(med(samples)),
      reference: `${fmtMs(hf)} (hyperfine)`,
      result:
        `${expected.toFixed(4)}× from the ${added >= 0 ? '+' : ''}${fmtMs(added)} a sample on \`true\` (${o.n} a side); ` +
        `side by side ${fmtRatio(side)}, n=${samples.length}${consistent === false ? ': excludes it' : consistent ? ': consistent' : ''}`,
      target: targeted ? `1 ± ${TOLERANCE * 100}%` : '(stated)',
      met: targeted ? fidelityMet(expected, side) : null,
    };
  };
  const out = [row(c.what, s.isobench, o.diffMs, c.targeted)];
  if (s.execa?.length) out.push({ ...row(`${c.what} through execa run() (before)`, s.execa, o.execaDiffMs, false), target: '(no target)' });
  return out;
}

const timed = (fn: () => Promise<{ durationMs: number; exitCode: number; stderr: string }>, what: string): (() => Promise<number>) => async () => {
  const r = await fn();
  if (r.exitCode !== 0) throw new Error(`${what} failed (exit ${r.exitCode}): ${r.stderr.trim().slice(-300)}`);
  return r.durationMs;
};

/** The venv's process-level samples: the import through the driver's exec (as import.warm.ms), the activating shell and the bare bash (as measure() times them). */
function venvCases(venv: Prepared, opts: BenchOptions): Case[] {
  const env = venv.env as VenvEnv;
  const inVenv = async <T>(fn: (inst: VenvInstance) => Promise<T>): Promise<T> => {
    const inst = (await venv.driver.start(env, opts.ctx)) as VenvInstance;
    try {
      return await fn(inst);
    } finally {
      await venv.driver.stop(inst);
    }
  };
  const importArgv = ['python', '-c', 'import requests'];
  const helper = (argv: string[], what: string): Sampler => (n, warmups) =>
    sampleReported(timed(() => opts.ctx.timer.run(argv, { step: what, timeoutMs: 30_000 }), what), { samples: n, warmups });
  const activate = activateArgv(join(env.dir, 'bin', 'activate'));
  return [
    {
      what: 'venv `python -c "import requests"`',
      argv: [env.python, ...importArgv.slice(1)],
      targeted: true,
      isobench: (n, warmups) => inVenv((inst) => sampleReported(timed(() => venv.driver.exec(inst, importArgv), 'import requests'), { samples: n, warmups })),
      execa: (n, warmups) =>
        inVenv((inst) => {
          const o: RunOptions = { step: 'import requests', timeoutMs: 30_000, env: inst.vars };
          return sampleReported(timed(() => run([env.python, ...importArgv.slice(1)], o), 'import requests'), { samples: n, warmups });
        }),
    },
    { what: 'venv: a new bash sourcing bin/activate', argv: activate, targeted: false, isobench: helper(activate, 'bash sourcing activate') },
    { what: 'venv: a bare bash (baseline)', argv: BARE_BASH_ARGV, targeted: false, isobench: helper(BARE_BASH_ARGV, 'bare bash') },
  ];
}

/** `docker run --rm IMAGE true` through the docker CLI, timed as run.cli.ms is (the timing helper). */
function dockerCase(docker: Prepared, opts: BenchOptions): Case {
  const env = docker.env as DockerEnv;
  const argv = ['docker', 'run', '--rm', ...labelFlags(opts.ctx.runId), env.image, 'true'];
  const o = { step: 'docker run', timeoutMs: 120_000 };
  return {
    what: `\`docker run --rm ${env.image} true\``,
    argv,
    targeted: true,
    isobench: (n, warmups) => sampleReported(timed(() => opts.ctx.timer.run(argv, o), 'docker run'), { samples: n, warmups }),
    execa: (n, warmups) => sampleReported(timed(() => run(argv, o), 'docker run'), { samples: n, warmups }),
  };
}

/** Each case: isobench, hyperfine (and execa where given) alternately, in rounds; the ratio of medians. */
export async function fidelity(opts: BenchOptions, venv: Prepared | string, docker: Prepared | string): Promise<SectionResult> {
  const out: SectionResult = { rows: [], data: {}, skipped: [] };
  const cases: Case[] = [];
  if (typeof venv === 'string') out.skipped.push(`fidelity venv: ${venv}`);
  else cases.push(...venvCases(venv, opts));
  if (typeof docker === 'string') out.skipped.push(`fidelity docker: ${docker}`);
  else cases.push(dockerCase(docker, opts));
  const backend = opts.ctx.config.environments.vm.backend;
  out.skipped.push(
    backend === 'qemu'
      ? 'fidelity vm: not applicable with the qemu backend: no host process is a sample (guest commands go through the agent on a virtio-serial port, boots are timed to the readiness marker)'
      : `fidelity vm: the ${backend} backend's \`vagrant ssh -c\` samples go through the timing helper, but the bench does not boot a Vagrant machine for fidelity`,
  );
  const o = cases.length ? await trueOverhead(opts) : undefined;
  for (const c of cases) {
    // Small blocks, many rounds: docker run's time drifts with the daemon's state, and every side must see the same drift.
    const [rounds, n] = opts.quick ? [3, 3] : c.argv[0] === 'docker' ? [10, 3] : [6, 5];
    opts.log(`fidelity: ${c.what}, ${rounds} rounds of ${n}`);
    const hf: Sampler = (runs, warmups) => hyperfine(c.argv, { runs, warmups, workDir: opts.ctx.workDir });
    const s = await interleave(rounds, { isobench: () => c.isobench(n, 1), hyperfine: () => hf(n, 1), execa: async () => (c.execa ? c.execa(n, 1) : []) });
    out.rows.push(...rows(c, s, o!));
    const r = ratioOfMedians(s.isobench, s.hyperfine);
    out.data[c.what] = {
      isobenchMs: med(s.isobench),
      hyperfineMs: med(s.hyperfine),
      ratio: r.ratio,
      expectedRatio: expectedRatio(med(s.hyperfine), o!.diffMs),
      interval: r.interval,
      coverage: r.coverage,
      n: s.isobench.length,
      ...(s.execa.length ? { execaMs: med(s.execa), execaRatio: ratioOfMedians(s.execa, s.hyperfine).ratio, execaSamples: s.execa } : {}),
      isobenchSamples: s.isobench,
      hyperfineSamples: s.hyperfine,
    };
  }
  return out;
}
