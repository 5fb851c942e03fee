// Debian suites the offline images can be built from: one archive mirror serves them side by side.
import { z } from 'zod';

/** Debian's release code names, oldest first (sid is unstable). */
export const DEBIAN_SUITES = ['buster', 'bullseye', 'bookworm', 'trixie', 'forky', 'sid'] as const;
export type DebianSuite = (typeof DEBIAN_SUITES)[number];

/** Debian's release number of a suite, for labels ("Debian 11"); undefined for sid. */
export const DEBIAN_RELEASE: Partial<Record<DebianSuite, number>> = { buster: 10, bullseye: 11, bookworm: 12, trixie: 13, forky: 14 };

/** A suite list of a config key: each at most once. */
export const suiteList = z
  .array(z.enum(DEBIAN_SUITES))
  .refine((s) => new Set(s).size === s.length, 'each suite at most once')
  .default([]);

/** "bullseye (Debian 11)", for labels and notes. */
export function suiteName(suite: string): string {
  const n = DEBIAN_RELEASE[suite as DebianSuite];
  return n ? `${suite} (Debian ${n})` : suite;
}
