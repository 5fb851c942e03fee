// Density: k = 1, 2, 4, 8 instances of each environment at once (src/run/density.ts, as `run --instances` does).
import { densityMetricId } from '../src/claims/metrics.js';
import { densityOf } from '../src/run/density.js';
import { fmtBytes, fmtMs, med, type BenchOptions, type SectionResult } from './lib.js';
import type { Prepared } from './fixtures.js';
import type { Metric } from '../src/drivers/types.js';

const valueOf = (metrics: Metric[], id: string): number[] | undefined => {
  const m = metrics.find((x) => x.id === id);
  return m ? (m.samples ?? [m.value!]) : undefined;
};

/** For each prepared environment and each k: median and slowest ready time, median memory per instance, host memory ÷ k. */
export async function density(opts: BenchOptions, envs: (Prepared | string)[]): Promise<SectionResult> {
  const ks = opts.quick ? [1, 2] : [1, 2, 4, 8];
  const out: SectionResult = { rows: [], data: {}, skipped: opts.quick ? ['density k = 4, 8; vm k = 2 (--quick: two guests under TCG take half a minute)'] : [] };
  for (const p of envs) {
    if (typeof p === 'string') {
      out.skipped.push(`density: ${p}`);
      continue;
    }
    const kind = p.driver.kind;
    const series: Record<string, unknown>[] = [];
    for (const k of kind === 'vm' && opts.quick ? [1] : ks) {
      opts.log(`density: ${kind} k=${k}`);
      const t0 = performance.now();
      try {
        const m = await densityOf(p.driver, p.env, k, opts.ctx);
        const ready = valueOf(m, densityMetricId(k, 'ready'))!;
        const python = valueOf(m, densityMetricId(k, 'pythonReady'));
        const memory = valueOf(m, densityMetricId(k, 'memory'))!;
        const host = valueOf(m, densityMetricId(k, 'host'))![0]!;
        series.push({ k, readyMs: ready, pythonReadyMs: python, memoryBytes: memory, hostPerInstanceBytes: host, stepMs: performance.now() - t0 });
        const readyText = python
          ? `python ready ${fmtMs(med(python))} (slowest ${fmtMs(Math.max(...python))})`
          : `ready ${fmtMs(med(ready))} (slowest ${fmtMs(Math.max(...ready))})`;
        out.rows.push({
          section: 'density',
          what: `${kind} k=${k}`,
          isobench: readyText,
          reference: '',
          result: `${fmtBytes(med(memory))} each; host ${fmtBytes(host)} each`,
          target: 'measured (no target)',
          met: null,
        });
      } catch (err) {
        out.skipped.push(`density ${kind} k=${k}: ${(err as Error).message}`);
      }
    }
    out.data[kind] = series;
  }
  return out;
}
