// The value a probe saw inside an instance and on the host, read from its evidence, for "can differ" claims.
import type { ProbeResult } from '../results/schema.js';

/** The probes whose evidence holds one comparable value inside and the host's beside it. */
export const DIFFERS_PROBES = ['python-version', 'os-release', 'kernel'] as const;
export type DiffersProbe = (typeof DIFFERS_PROBES)[number];

/** A Python version is its first word ("3.11.7 (/usr/bin/python3.11)" -> "3.11.7"); other values are whole. */
function normalize(probe: DiffersProbe, text: string): string {
  const s = text.trim();
  return probe === 'python-version' ? (s.split(/\s+/)[0] ?? s) : s;
}

/** What the probe saw inside the instance, or undefined when its evidence holds no such value. */
export function insideValue(probe: DiffersProbe, p: ProbeResult): string | undefined {
  const v = p.evidence.inside;
  return typeof v === 'string' && v.trim() ? normalize(probe, v) : undefined;
}

/** Every value the host has for the probe: one kernel, one os-release, or each of its Python interpreters. */
export function hostValues(probe: DiffersProbe, p: ProbeResult): string[] {
  const h = p.evidence.host;
  const raw = typeof h === 'string' ? [h] : h && typeof h === 'object' ? Object.values(h as Record<string, unknown>) : [];
  return [...new Set(raw.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => normalize(probe, x)))];
}
