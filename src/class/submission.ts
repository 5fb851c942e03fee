// What a student's run sends to the class server, and what the server keeps of each machine: validated with zod.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Claim } from '../claims/schema.js';
import { judgeClaims } from '../claims/verdict.js';
import { runResultsSchema, type RunResults } from '../results/schema.js';
import { upgradeResults } from '../results/upgrade.js';

/** The header a submission carries the class code in. */
export const CODE_HEADER = 'x-isobench-class-code';
/** Where runs send their results. */
export const SUBMIT_PATH = '/api/submit';

/** A machine's own id: random, made once on the student's machine and kept there; never shown on the page. */
export const MACHINE_ID = /^[A-Za-z0-9_-]{16,64}$/;
export const MACHINE_STATES = ['running', 'done', 'failed'] as const;
export type MachineState = (typeof MACHINE_STATES)[number];

export const submissionSchema = z.strictObject({
  machineId: z.string().regex(MACHINE_ID, 'expected 16 to 64 letters, digits, _ or -'),
  state: z.enum(MACHINE_STATES),
  /** The step the run is in while running ("docker-requests: install"). */
  step: z.string().max(200).optional(),
  results: runResultsSchema,
});
export type Submission = z.infer<typeof submissionSchema>;

/** One machine as the server keeps it (on disk and on the page): keyed by a hash of its id, not by its name. */
export const classMachineSchema = z.strictObject({
  key: z.string().regex(/^[0-9a-f]{32}$/),
  state: z.enum(MACHINE_STATES),
  step: z.string().max(200).optional(),
  /** When the server accepted the last submission (ISO time). */
  updatedAt: z.string().max(40),
  /** When the server accepted this machine's first submission (absent in files of older versions). */
  joinedAt: z.string().max(40).optional(),
  results: runResultsSchema,
});
export type ClassMachine = z.infer<typeof classMachineSchema>;

/** The key a machine is stored under: a hash of its id, so the id itself stays on the student's machine. */
export function machineKey(machineId: string): string {
  return createHash('sha256').update(machineId).digest('hex').slice(0, 32);
}

/**
 * Parses a submission (results of an older schema, from a student's older isobench, upgraded first); the error
 * names the first offending field (and how many more there are).
 */
export function parseSubmission(data: unknown): { ok: true; value: Submission } | { ok: false; error: string } {
  const parsed = submissionSchema.safeParse(withUpgradedResults(data));
  if (parsed.success) return { ok: true, value: parsed.data };
  const [first, ...rest] = parsed.error.issues;
  const more = rest.length ? ` (+${rest.length} more)` : '';
  return { ok: false, error: `${first!.path.join('.') || '(root)'}: ${first!.message}${more}` };
}

/** `data` with its `results` upgraded to the current schema, when it is an object holding one. */
export function withUpgradedResults(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !('results' in data)) return data;
  return { ...data, results: upgradeResults((data as { results: unknown }).results) };
}

/**
 * The machine entry a submission becomes: its verdicts judged here, from its measurements, with the claims and the
 * verdict code a run uses (what the submission says its verdicts were is dropped).
 */
export function toMachine(s: Submission, now: Date, claims: readonly Claim[], joinedAt = now.toISOString()): ClassMachine {
  const results: RunResults = { ...s.results, claims: judgeClaims(claims, s.results.environments) };
  return { key: machineKey(s.machineId), state: s.state, ...(s.step ? { step: s.step } : {}), updatedAt: now.toISOString(), joinedAt, results };
}
