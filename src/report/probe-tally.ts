// How many probes found isolation, counted by distinct evidence: probes that rest on one piece of evidence count once.
import type { ProbeResult } from '../results/schema.js';

/**
 * Pure: one group per piece of evidence (a probe's own id, or the probe it declares sameEvidenceAs); a group is
 * isolated when one of its probes found isolation and none found sharing.
 */
export function evidenceTally(probes: readonly ProbeResult[]): { isolated: number; of: number } {
  const groups = new Map<string, ProbeResult[]>();
  for (const p of probes) {
    const key = p.sameEvidenceAs ?? p.id;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const isolated = [...groups.values()].filter((g) => g.some((p) => p.isolated === true) && !g.some((p) => p.isolated === false)).length;
  return { isolated, of: groups.size };
}
