// Fidelity: isobench's median of a command against hyperfine's median of the same command, side by side.
import { labelFlags } from '../src/lifecycle/labels.js';
import { run } from '../src/lifecycle/process.js';
import { sampleReported } from '../src/measure/clock.js';
import { fmtMs, hyperfine, interleave, med, withinRatio, type BenchOptions, type Row, type SectionResult } from './lib.js';
import type { Prepared } from './fixtures.js';
import type { DockerEnv } from '../src/drivers/docker/types.js';
import type { VenvEnv } from '../src/drivers/venv/driver.js';

const TOLERANCE = 0.05;

interface Case {
  what: string;
  /** The exact argv hyperfine runs. */
  argv: string[];
  /** isobench's way of timing it: `n` samples after `warmups`. */
  isobench: (n: number, warmups: number) => Promise<number[]>;
}

function row(c: Case, iso: number[], hf: number[]): Row {
  const ratio = med(iso) / med(hf);
  return {
    section: 'fidelity',
    what: c.what,
    isobench: fmtMs(med(iso)),
    reference: `${fmtMs(med(hf))} (hyperfine)`,
    result: `${ratio.toFixed(3)}×`,
    target: `1 ± ${TOLERANCE * 100}%`,
    met: withinRatio(ratio, TOLERANCE),
  };
}

/** The venv's `python -c "import requests"` through the venv driver's exec (as import.warm.ms is timed). */
function venvCase(venv: Prepared, opts: BenchOptions): Case {
  const env = venv.env as VenvEnv;
  const argv = ['python', '-c', 'import requests'];
  return {
    what: 'venv `python -c "import requests"`',
    argv: [env.python, ...argv.slice(1)],
    isobench: async (n, warmups) => {
      const inst = await venv.driver.start(env, opts.ctx);
      try {
        return await sampleReported(async () => (await venv.driver.exec(inst, argv)).durationMs, { samples: n, warmups });
      } finally {
        await venv.driver.stop(inst);
      }
    },
  };
}

/** `docker run --rm IMAGE true` through the docker CLI, timed as run.cli.ms is. */
function dockerCase(docker: Prepared, opts: BenchOptions): Case {
  const env = docker.env as DockerEnv;
  const argv = ['docker', 'run', '--rm', ...labelFlags(opts.ctx.runId), env.image, 'true'];
  return {
    what: `\`docker run --rm ${env.image} true\``,
    argv,
    isobench: (n, warmups) =>
      sampleReported(async () => {
        const r = await run(argv, { step: 'docker run', timeoutMs: 120_000 });
        if (r.exitCode !== 0) throw new Error(`docker run failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
        return r.durationMs;
      }, { samples: n, warmups }),
  };
}

/** Each case: isobench and hyperfine alternately, in rounds; the ratio of their medians. */
export async function fidelity(opts: BenchOptions, venv: Prepared | string, docker: Prepared | string): Promise<SectionResult> {
  const out: SectionResult = { rows: [], data: {}, skipped: [] };
  const cases: Case[] = [];
  if (typeof venv === 'string') out.skipped.push(`fidelity venv: ${venv}`);
  else cases.push(venvCase(venv, opts));
  if (typeof docker === 'string') out.skipped.push(`fidelity docker: ${docker}`);
  else cases.push(dockerCase(docker, opts));
  for (const c of cases) {
    // Small blocks, many rounds: docker run's time drifts with the daemon's state, and both sides must see the same drift.
    const [rounds, n] = opts.quick ? [3, 3] : c.argv[0] === 'docker' ? [10, 3] : [6, 5];
    opts.log(`fidelity: ${c.what}, ${rounds} rounds of ${n}`);
    const { a: iso, b: hf } = await interleave(
      rounds,
      () => c.isobench(n, 1),
      () => hyperfine(c.argv, { runs: n, warmups: 1, workDir: opts.ctx.workDir }),
    );
    out.rows.push(row(c, iso, hf));
    out.data[c.what] = { isobenchMs: med(iso), hyperfineMs: med(hf), ratio: med(iso) / med(hf), n: iso.length, isobenchSamples: iso, hyperfineSamples: hf };
  }
  return out;
}
