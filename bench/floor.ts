// Docker startup floor: the Engine API's create + start + wait of `true` against `docker run --rm IMAGE true`
// (timed as run.cli.ms is: through the timing helper).
import { engine } from '../src/drivers/docker/engine.js';
import { runOnce } from '../src/drivers/docker/run-once.js';
import { labelFlags } from '../src/lifecycle/labels.js';
import { fmtMs, interleave, med, type BenchOptions, type SectionResult } from './lib.js';
import type { Prepared } from './fixtures.js';
import type { DockerEnv } from '../src/drivers/docker/types.js';

/** API (create+start+wait, and with remove) and CLI samples alternately; the ratios of their medians. */
export async function floor(opts: BenchOptions, docker: Prepared | string): Promise<SectionResult> {
  if (typeof docker === 'string') return { rows: [], data: {}, skipped: [`docker floor: ${docker}`] };
  const env = docker.env as DockerEnv;
  const { docker: api } = await engine(opts.ctx);
  const [rounds, n] = opts.quick ? [3, 3] : [10, 3];
  const withRemove: number[] = [];
  const apiRun = async () => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = await runOnce(api, env.image, ['true'], opts.ctx);
      if (r.exitCode !== 0) throw new Error(`API run of true exited ${r.exitCode}: ${r.stderr.trim()}`);
      out.push(r.phases.create + r.phases.exit);
      withRemove.push(r.phases.create + r.phases.exit + r.phases.remove);
    }
    return out;
  };
  const argv = ['docker', 'run', '--rm', ...labelFlags(opts.ctx.runId), env.image, 'true'];
  const cliRun = async () => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await opts.ctx.timer.run(argv, { step: 'docker run', timeoutMs: 120_000 })).durationMs);
    return out;
  };
  await apiRun();
  await cliRun();
  withRemove.length = 0;
  opts.log(`floor: API vs CLI, ${rounds} rounds of ${n}`);
  const { api: apiMs, cli: cliMs } = await interleave(rounds, { api: apiRun, cli: cliRun });
  const ratio = med(apiMs) / med(cliMs);
  const ratioRm = med(withRemove) / med(cliMs);
  return {
    rows: [
      {
        section: 'docker floor',
        what: `API create+start+wait of \`true\` / \`docker run --rm ${env.image} true\``,
        isobench: fmtMs(med(apiMs)),
        reference: `${fmtMs(med(cliMs))} (CLI)`,
        result: `${ratio.toFixed(2)}×`,
        target: 'ratio (no target)',
        met: null,
      },
      {
        section: 'docker floor',
        what: 'the same API run including container remove (what --rm also does)',
        isobench: fmtMs(med(withRemove)),
        reference: `${fmtMs(med(cliMs))} (CLI)`,
        result: `${ratioRm.toFixed(2)}×`,
        target: 'ratio (no target)',
        met: null,
      },
    ],
    data: { n: apiMs.length, apiMs: med(apiMs), apiWithRemoveMs: med(withRemove), cliMs: med(cliMs), ratio, ratioWithRemove: ratioRm, apiSamples: apiMs, cliSamples: cliMs },
    skipped: [],
  };
}
