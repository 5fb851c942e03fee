// The versioned results schema: what results.json holds; JSON reports are validated against it.
import { z } from 'zod';

export const SCHEMA_VERSION = 4;

/**
 * Bounds on what a results file may hold, far above any real run's (a full run: 5 environments, 139 claims, labels
 * of about 200 characters), so that a file's size, and the size of every page drawn from it, has a limit.
 */
export const RESULT_LIMITS = {
  /** A host name (DNS allows 253). */
  hostname: 255,
  /** Names and ids: an environment's, a step's, a claim's, a fact's key. */
  name: 200,
  /** An environment's label, a CPU model, a version. */
  label: 400,
  /** Free text: a note, a reason, an error, a method, a summary, a fact. */
  text: 16_000,
  environments: 32,
  claims: 500,
  probes: 32,
  steps: 100,
  notes: 100,
  facts: 200,
  samples: 10_000,
  /** How deep a probe's evidence may nest (objects and arrays). */
  evidenceDepth: 8,
} as const;

const L = RESULT_LIMITS;
const name = () => z.string().max(L.name);
const label = () => z.string().max(L.label);
const text = () => z.string().max(L.text);
const facts = () => z.record(name(), text()).refine((f) => Object.keys(f).length <= L.facts, `more than ${L.facts} facts`);
const samples = () => z.array(z.number()).max(L.samples);

/** How deep a JSON value nests (0 for a plain value), counted without recursion, stopping once past max. */
export function jsonDepth(value: unknown, max = Infinity): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, d + 1);
    if (deepest > max) return deepest;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return deepest;
}

export const statsSchema = z.strictObject({
  n: z.number().int().positive(),
  median: z.number(),
  mean: z.number(),
  min: z.number(),
  max: z.number(),
  mad: z.number().nonnegative(),
  /** Exact order-statistic interval of the median, coverage >= 95%; null when n is too small for one. */
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  /** The interval's real coverage (0.979 for n = 10); null with no interval. */
  ciCoverage: z.number().min(0.95).max(1).nullable(),
  outliers: z.array(z.number().int().nonnegative()).max(L.samples),
});

export const metricResultSchema = z.strictObject({
  unit: z.enum(['ms', 'bytes', 'count']),
  /** The headline number: the median when sampled. */
  value: z.number(),
  method: text(),
  samples: samples().optional(),
  stats: statsSchema.optional(),
});

export const stepSchema = z.strictObject({
  step: name(),
  ok: z.boolean(),
  durationMs: z.number().nonnegative(),
  samples: samples().optional(),
  error: text().optional(),
  /** How and when the number was taken, when not plainly in this run (install read back from an image build…). */
  method: text().optional(),
});

export const PROBE_IDS = [
  'port-clash',
  'tmp-visibility',
  'kernel',
  'process-visibility',
  'python-version',
  'os-release',
  'system-packages',
  'package-visibility',
  'syscall-kernel',
  'root-mapping',
] as const;
export type ProbeId = (typeof PROBE_IDS)[number];

export const probeResultSchema = z.strictObject({
  id: z.enum(PROBE_IDS),
  /** true: isolated from the host/the other instance; false: shared; null: could not be measured. */
  isolated: z.boolean().nullable(),
  /** One sentence in English saying what was seen. */
  summary: text(),
  /** What the probe saw, verbatim where short (versions, exit codes, error text). */
  evidence: z.record(name(), z.unknown()).refine((e) => jsonDepth(e, L.evidenceDepth) <= L.evidenceDepth, `nested deeper than ${L.evidenceDepth} levels`),
  error: text().optional(),
  /** The probe whose evidence this one rests on too: a tally of probes counts them once (unset: evidence of its own). */
  sameEvidenceAs: z.enum(PROBE_IDS).optional(),
});

/**
 * A row's sample plan: repeated (several timed starts; a 95% interval from 6), single (one timed start, no interval),
 * untimed (one start that no number times: sizes and memory only), left-out (not run in this run).
 */
export const SAMPLE_PLANS = ['repeated', 'single', 'untimed', 'left-out'] as const;
/**
 * Why: fast-start (a venv or container starts in under a second: the config's samples), kvm (a hypervisor's boots are
 * judged: enough for an interval), tcg (an emulated boot is shown, not judged: one shows it), suite-row (a suite row
 * shows its probes and size), sizes-only (the row shows sizes, no times), config (the config set the count),
 * tcg-repeats (under TCG the row repeats another row's evidence at minutes a boot).
 */
export const PLAN_REASONS = ['fast-start', 'kvm', 'tcg', 'suite-row', 'sizes-only', 'config', 'tcg-repeats'] as const;
export type PlanId = (typeof SAMPLE_PLANS)[number];
export type PlanReason = (typeof PLAN_REASONS)[number];

export const planSchema = z.strictObject({
  id: z.enum(SAMPLE_PLANS),
  reason: z.enum(PLAN_REASONS),
  /** Timed starts (ready.python.ms samples) and the warm-ups before them. */
  starts: z.number().int().nonnegative(),
  warmups: z.number().int().nonnegative(),
  /** Warm `import requests` samples after the first import. */
  imports: z.number().int().nonnegative(),
  /** Whether the isolation probes ran (their second instance starts while nothing is timed). */
  probes: z.boolean(),
  /** The row whose evidence a left-out row repeats. */
  repeats: name().optional(),
});
export type SamplePlanResult = z.infer<typeof planSchema>;

export const envResultSchema = z.strictObject({
  kind: z.enum(['venv', 'docker', 'vm']),
  name: name(),
  label: label(),
  status: z.enum(['completed', 'errored', 'skipped']),
  /** Why not completed (and how to fix, when isobench knows). */
  reason: text().optional(),
  fix: text().optional(),
  /** The run's log holding the failed step's whole output, relative to results.json (isobench.log). */
  log: text().optional(),
  steps: z.array(stepSchema).max(L.steps),
  metrics: z.record(name(), metricResultSchema).refine((m) => Object.keys(m).length <= L.facts, `more than ${L.facts} metrics`),
  probes: z.array(probeResultSchema).max(L.probes),
  /** How this environment was measured, as the report must say (offline image, TCG…). */
  notes: z.array(text()).max(L.notes),
  facts: facts(),
  /** Which sample plan ran and why (results before it was recorded have none). */
  plan: planSchema.optional(),
});

/**
 * inconclusive: the interval (or, below 6 samples, the samples) crosses the document's bound, so neither verdict is
 * supported; info: shown, not judged (an example the document happened to print, a time taken under emulation);
 * not-shown: a "can differ" claim where no two instances of this run differed (measured, but nothing to show).
 */
export const VERDICTS = ['confirmed', 'within-2x', 'off', 'refuted', 'inconclusive', 'info', 'not-shown', 'unlike', 'not-measured'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const claimVerdictSchema = z.strictObject({
  claimId: name(),
  kind: z.enum(['venv', 'docker', 'vm']),
  /** The environment whose measurement was used (name), when one was. */
  env: name().optional(),
  verdict: z.enum(VERDICTS),
  /** measured / document, for numeric claims off by a factor (>1 either way). */
  factor: z.number().positive().optional(),
  measured: z
    .strictObject({ value: z.union([z.number(), label(), z.boolean()]), unit: name().optional() })
    .optional(),
  /** What a number's verdict compared: the quantity, the document's way and this run's, the document's subject and this env's. */
  basis: z.strictObject({ what: name(), docHow: name(), how: name(), docOn: name(), on: name() }).optional(),
  /** Why not measured, or what the verdict rests on (English). */
  why: text().optional(),
  /** The same as a code and its values, for the reports to say in their own language. */
  note: z.strictObject({ code: name(), args: z.record(name(), z.union([label(), z.number()])).refine((a) => Object.keys(a).length <= L.facts, `more than ${L.facts} note values`) }).optional(),
});

/** How process samples were timed on this host, and that path's own floor (the time of `true` through it). */
export const timingFloorSchema = z.strictObject({
  /** posix_spawn: the Python timing helper; node: execa (Node's spawn), where the helper could not start. */
  spawner: z.enum(['posix_spawn', 'node']),
  /** The helper's interpreter and version, or why it was not used. */
  helper: text(),
  /** Median ms of `true`: below this, a process sample says nothing about the environment. */
  floorMs: z.number().nonnegative(),
  samples: z.array(z.number().nonnegative()).max(L.samples),
  method: text(),
});

export const hostSchema = z.strictObject({
  hostname: z.string().max(L.hostname),
  cpuModel: label(),
  cores: z.number().int().positive(),
  memoryBytes: z.number().positive(),
  kernel: label(),
  os: label(),
  arch: name(),
  python: label(),
  node: name(),
  /** The process-timing path and its floor, measured at the start of the run (absent in results of older versions). */
  timing: timingFloorSchema.optional(),
  /** Versions and settings drivers found (docker.version, docker.storageDriver, qemu.accel…). */
  facts: facts(),
});

export const runResultsSchema = z.strictObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.strictObject({ name: z.literal('isobench'), version: name() }),
  runId: name(),
  startedAt: name(),
  finishedAt: name().optional(),
  /** false while running, and when the run was interrupted or failed part-way. */
  complete: z.boolean(),
  settings: z.strictObject({ samples: z.number(), warmups: z.number(), packages: z.array(name()).max(L.notes) }),
  host: hostSchema,
  environments: z.array(envResultSchema).max(L.environments),
  claims: z.array(claimVerdictSchema).max(L.claims),
  notes: z.array(text()).max(L.notes),
});

export type Stats = z.infer<typeof statsSchema>;
export type MetricResult = z.infer<typeof metricResultSchema>;
export type ProbeResult = z.infer<typeof probeResultSchema>;
export type EnvResult = z.infer<typeof envResultSchema>;
export type ClaimVerdict = z.infer<typeof claimVerdictSchema>;
export type HostInfo = z.infer<typeof hostSchema>;
export type TimingFloor = z.infer<typeof timingFloorSchema>;
export type RunResults = z.infer<typeof runResultsSchema>;
