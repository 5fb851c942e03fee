// Density: k instances of one environment started at once; time to ready and memory per instance.
import { readFile } from 'node:fs/promises';
import { now } from '../measure/clock.js';
import { densityMetricId } from '../claims/metrics.js';
import type { Background, Driver, DriverContext, Env, Instance, Metric } from '../drivers/types.js';

/** What a density step gives: its metrics, and what could not be measured (the run goes on). */
export interface DensityResult {
  metrics: Metric[];
  errors: string[];
}

/** Printed by the Python a no-process instance (venv) runs: its VmRSS in kB once `import requests` is done. */
export const RSS_MARKER = 'isobench-rss';
export const HOLD_PYTHON = `import requests, time
for line in open('/proc/self/status'):
    if line.startswith('VmRSS:'):
        print('${RSS_MARKER}', line.split()[1], flush=True)
time.sleep(3600)`;

/** MemTotal - MemAvailable of a /proc/meminfo text, in bytes. */
export function usedBytes(meminfo: string): number {
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(meminfo);
    if (!m) throw new Error(`/proc/meminfo has no ${key} line`);
    return Number(m[1]) * 1024;
  };
  return kb('MemTotal') - kb('MemAvailable');
}

/** The VmRSS (bytes) a HOLD_PYTHON printed. */
export function parseHeldRss(output: string): number {
  const m = new RegExp(`${RSS_MARKER} (\\d+)`).exec(output);
  if (!m) throw new Error(`python printed no ${RSS_MARKER} line: ${JSON.stringify(output.trim().slice(-200))}`);
  return Number(m[1]) * 1024;
}

/** The memory number of an instance among what driver.memory() gave: its first bytes metric. */
export function instanceMemory(metrics: Metric[]): Metric | undefined {
  return metrics.find((m) => m.unit === 'bytes' && m.value !== undefined);
}

const hostUsed = async () => usedBytes(await readFile('/proc/meminfo', 'utf8'));

/** Runs every k of config.instances in turn; a k that fails is an error string, not a throw (unless aborted). */
export async function densitySteps(driver: Driver, env: Env, ctx: DriverContext): Promise<DensityResult> {
  const out: DensityResult = { metrics: [], errors: [] };
  for (const k of ctx.config.instances) {
    ctx.signal.throwIfAborted();
    try {
      out.metrics.push(...(await densityOf(driver, env, k, ctx)));
    } catch (err) {
      ctx.signal.throwIfAborted();
      out.errors.push(`k=${k}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return out;
}

/** Starts k instances concurrently, times each to ready, measures each one's memory while all run, stops all. */
export async function densityOf(driver: Driver, env: Env, k: number, ctx: DriverContext): Promise<Metric[]> {
  const before = await hostUsed();
  const t0 = now();
  const settled = await Promise.allSettled(
    Array.from({ length: k }, async () => {
      const inst = await driver.start(env, ctx);
      return { inst, readyMs: now() - t0 };
    }),
  );
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const held: Background[] = [];
  try {
    const failed = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason instanceof Error ? s.reason.message : String(s.reason)] : []));
    if (failed.length) throw new Error(`${failed.length} of ${k} instances did not start: ${failed[0]}`);
    const insts = started.map((s) => s.inst);
    const metrics: Metric[] = [
      {
        id: densityMetricId(k, 'ready'),
        unit: 'ms',
        samples: started.map((s) => s.readyMs),
        method: `${k} instances started at once (driver start, as start.ready.ms); each one's ms from the common start to ready`,
      },
    ];
    const memories = await Promise.all(insts.map((i) => driver.memory(i, ctx)));
    const picked = memories.map(instanceMemory);
    if (picked.every((m) => m !== undefined)) {
      metrics.push({ id: densityMetricId(k, 'memory'), unit: 'bytes', samples: picked.map((m) => m!.value!), method: `per instance, all ${k} running: ${picked[0]!.method}` });
    } else {
      metrics.push(...(await heldPythons(driver, insts, held, ctx)));
    }
    metrics.push({
      id: densityMetricId(k, 'host'),
      unit: 'bytes',
      value: ((await hostUsed()) - before) / k,
      method: `host MemTotal - MemAvailable while the ${k} run, minus before, ÷ ${k} (counts shared pages once; other host activity adds noise)`,
    });
    return metrics;
  } finally {
    await Promise.all(held.map((h) => h.stop().catch(() => undefined)));
    await Promise.all(started.map((s) => driver.stop(s.inst).catch((err: Error) => ctx.log.warn(`density: stop ${s.inst.id}: ${err.message}`))));
  }
}

/** For instances without a process of their own (venv): one Python per instance importing requests, all held at once. */
async function heldPythons(driver: Driver, insts: Instance[], held: Background[], ctx: DriverContext): Promise<Metric[]> {
  const k = insts.length;
  const timeoutMs = ctx.config.timeouts.stepSec * 1000;
  const t0 = now();
  const settled = await Promise.allSettled(
    insts.map(async (inst) => {
      const bg = await driver.spawn(inst, ['python', '-c', HOLD_PYTHON], { timeoutMs });
      held.push(bg);
      const output = await bg.waitFor(new RegExp(`${RSS_MARKER} \\d+`), timeoutMs);
      return { ms: now() - t0, rss: parseHeldRss(output) };
    }),
  );
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw new Error(`a Python held in an instance failed: ${(failed.reason as Error).message ?? failed.reason}`);
  const results = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  return [
    {
      id: densityMetricId(k, 'pythonReady'),
      unit: 'ms',
      samples: results.map((r) => r.ms),
      method: `${k} Pythons started at once, one per instance; each one's ms until \`import requests\` is done`,
    },
    {
      id: densityMetricId(k, 'memory'),
      unit: 'bytes',
      samples: results.map((r) => r.rss),
      method: `the instance has no process of its own: VmRSS of its Python after \`import requests\`, all ${k} held at once`,
    },
  ];
}
