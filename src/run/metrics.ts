// Turns drivers' Metric values into result metrics with statistics.
import { summarize } from '../measure/stats.js';
import type { Metric } from '../drivers/types.js';
import type { EnvResult, MetricResult } from '../results/schema.js';

/** A result metric: the samples' median and statistics when sampled, else the value as given. */
export function toMetricResult(m: Metric): MetricResult {
  if (m.samples && m.samples.length > 0) {
    const stats = summarize(m.samples);
    return { unit: m.unit, value: m.value ?? stats.median, method: m.method, samples: m.samples, stats };
  }
  if (m.value === undefined || !Number.isFinite(m.value)) throw new Error(`metric ${m.id} has neither a value nor samples`);
  return { unit: m.unit, value: m.value, method: m.method };
}

/** Adds (or replaces) metrics on an environment result. */
export function addMetrics(result: EnvResult, metrics: Metric[]): void {
  for (const m of metrics) result.metrics[m.id] = toMetricResult(m);
}
