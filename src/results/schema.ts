// The versioned results schema: what results.json holds; JSON reports are validated against it.
import { z } from 'zod';

export const SCHEMA_VERSION = 2;

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
  outliers: z.array(z.number().int().nonnegative()),
});

export const metricResultSchema = z.strictObject({
  unit: z.enum(['ms', 'bytes', 'count']),
  /** The headline number: the median when sampled. */
  value: z.number(),
  method: z.string(),
  samples: z.array(z.number()).optional(),
  stats: statsSchema.optional(),
});

export const stepSchema = z.strictObject({
  step: z.string(),
  ok: z.boolean(),
  durationMs: z.number().nonnegative(),
  samples: z.array(z.number()).optional(),
  error: z.string().optional(),
  /** How and when the number was taken, when not plainly in this run (install read back from an image build…). */
  method: z.string().optional(),
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
  summary: z.string(),
  /** What the probe saw, verbatim where short (versions, exit codes, error text). */
  evidence: z.record(z.string(), z.unknown()),
  error: z.string().optional(),
});

export const envResultSchema = z.strictObject({
  kind: z.enum(['venv', 'docker', 'vm']),
  name: z.string(),
  label: z.string(),
  status: z.enum(['completed', 'errored', 'skipped']),
  /** Why not completed (and how to fix, when isobench knows). */
  reason: z.string().optional(),
  fix: z.string().optional(),
  steps: z.array(stepSchema),
  metrics: z.record(z.string(), metricResultSchema),
  probes: z.array(probeResultSchema),
  /** How this environment was measured, as the report must say (offline image, TCG…). */
  notes: z.array(z.string()),
  facts: z.record(z.string(), z.string()),
});

/**
 * inconclusive: the interval (or, below 6 samples, the samples) crosses the document's bound, so neither verdict is
 * supported; info: what the document printed was an example (a version it happened to have), shown, not judged.
 */
export const VERDICTS = ['confirmed', 'within-2x', 'off', 'refuted', 'inconclusive', 'info', 'not-measured'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const claimVerdictSchema = z.strictObject({
  claimId: z.string(),
  kind: z.enum(['venv', 'docker', 'vm']),
  /** The environment whose measurement was used (name), when one was. */
  env: z.string().optional(),
  verdict: z.enum(VERDICTS),
  /** measured / document, for numeric claims off by a factor (>1 either way). */
  factor: z.number().positive().optional(),
  measured: z
    .strictObject({ value: z.union([z.number(), z.string(), z.boolean()]), unit: z.string().optional() })
    .optional(),
  /** Why not measured, or what the verdict rests on. */
  why: z.string().optional(),
});

/** How process samples were timed on this host, and that path's own floor (the time of `true` through it). */
export const timingFloorSchema = z.strictObject({
  /** posix_spawn: the Python timing helper; node: execa (Node's spawn), where the helper could not start. */
  spawner: z.enum(['posix_spawn', 'node']),
  /** The helper's interpreter and version, or why it was not used. */
  helper: z.string(),
  /** Median ms of `true`: below this, a process sample says nothing about the environment. */
  floorMs: z.number().nonnegative(),
  samples: z.array(z.number().nonnegative()),
  method: z.string(),
});

export const hostSchema = z.strictObject({
  hostname: z.string(),
  cpuModel: z.string(),
  cores: z.number().int().positive(),
  memoryBytes: z.number().positive(),
  kernel: z.string(),
  os: z.string(),
  arch: z.string(),
  python: z.string(),
  node: z.string(),
  /** The process-timing path and its floor, measured at the start of the run (absent in results of older versions). */
  timing: timingFloorSchema.optional(),
  /** Versions and settings drivers found (docker.version, docker.storageDriver, qemu.accel…). */
  facts: z.record(z.string(), z.string()),
});

export const runResultsSchema = z.strictObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.strictObject({ name: z.literal('isobench'), version: z.string() }),
  runId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  /** false while running, and when the run was interrupted or failed part-way. */
  complete: z.boolean(),
  settings: z.strictObject({ samples: z.number(), warmups: z.number(), packages: z.array(z.string()) }),
  host: hostSchema,
  environments: z.array(envResultSchema),
  claims: z.array(claimVerdictSchema),
  notes: z.array(z.string()),
});

export type Stats = z.infer<typeof statsSchema>;
export type MetricResult = z.infer<typeof metricResultSchema>;
export type ProbeResult = z.infer<typeof probeResultSchema>;
export type EnvResult = z.infer<typeof envResultSchema>;
export type ClaimVerdict = z.infer<typeof claimVerdictSchema>;
export type HostInfo = z.infer<typeof hostSchema>;
export type TimingFloor = z.infer<typeof timingFloorSchema>;
export type RunResults = z.infer<typeof runResultsSchema>;
