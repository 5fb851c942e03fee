// Timing: a monotonic clock and repeated sampling (warm-ups first, never counted) through tinybench.
import { Bench } from 'tinybench';

/** Milliseconds since an arbitrary origin, monotonic. */
export const now = (): number => performance.now();

/** Times one call of an async function. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = now();
  const value = await fn();
  return { value, ms: now() - t0 };
}

/**
 * Runs `fn` warmups + samples times, sequentially; returns the sample durations in ms in run order (tinybench
 * sorts its own sample array in place when it computes statistics, so the order is kept here).
 */
export async function sample(fn: () => Promise<unknown>, opts: { samples: number; warmups: number }): Promise<number[]> {
  const inOrder: number[] = [];
  let warming = opts.warmups > 0;
  const bench = new Bench({
    iterations: opts.samples,
    time: 0,
    warmupIterations: opts.warmups,
    warmupTime: 0,
    throws: true,
  });
  bench.add('step', async () => {
    const t0 = now();
    await fn();
    if (!warming) inOrder.push(now() - t0);
  });
  if (warming) await bench.warmup();
  warming = false;
  await bench.run();
  return inOrder.slice(0, opts.samples);
}

/** Like sample(), but `fn` returns its own duration (e.g. a time the command measured itself). */
export async function sampleReported(fn: () => Promise<number>, opts: { samples: number; warmups: number }): Promise<number[]> {
  for (let i = 0; i < opts.warmups; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < opts.samples; i++) out.push(await fn());
  return out;
}
