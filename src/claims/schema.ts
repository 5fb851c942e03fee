// The schema of fixtures/claims/document.yaml: each number and isolation statement of the document.
import { z } from 'zod';
import { PROBE_IDS } from '../results/schema.js';
import { DIFFERS_PROBES } from './probe-values.js';
import { METRICS, METRIC_IDS, FACT_IDS, HOLDS_FACT_IDS, HOWS, QUANTITIES, measureQuantity, metricHow, metricIs, type MetricId } from './metrics.js';
import { DOC_SUBJECT_IDS, type DocSubject } from './subjects.js';

const text = z.strictObject({ ko: z.string().min(1), en: z.string().min(1) });
const metricId = z.enum(METRIC_IDS as [MetricId, ...MetricId[]]);
const isMetricId = (x: unknown): x is MetricId => typeof x === 'string' && x in METRICS;

const base = {
  id: z.string().regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, 'lowercase words joined by . or -'),
  kind: z.enum(['venv', 'docker', 'vm']),
  /** Section heading path or table row, as in the document. */
  where: z.string().min(1),
  /** ko: verbatim from the document; en: its translation. */
  says: text,
};

/**
 * The document's own measurement behind a number: what it measured, how (its command, or 'unstated' where it gives
 * none) and on what. A verdict compares only the same quantity, taken the same way, on a like thing.
 */
const docMeasure = {
  doc: z.strictObject({
    what: z.enum(QUANTITIES),
    how: z.union([z.enum(HOWS), z.literal('unstated')]),
    on: z.enum(DOC_SUBJECT_IDS as [DocSubject, ...DocSubject[]]),
  }),
};

const rangeClaim = z.strictObject({
  ...base,
  ...docMeasure,
  check: z.literal('range'),
  metric: metricId,
  range: z.tuple([z.number().nonnegative(), z.number().positive()]).refine(([lo, hi]) => lo < hi, 'lo must be below hi'),
});

const pointClaim = z.strictObject({
  ...base,
  ...docMeasure,
  check: z.literal('point'),
  metric: metricId,
  value: z.number().positive(),
  /** Relative: 0.25 means ±25% of value counts as confirmed. */
  tolerance: z.number().positive().max(1).default(0.25),
});

const lessThanClaim = z.strictObject({
  ...base,
  ...docMeasure,
  check: z.literal('less-than'),
  metric: metricId,
  than: metricId,
});

const isolationClaim = z.strictObject({
  ...base,
  check: z.literal('isolation'),
  probe: z.enum(PROBE_IDS),
  isolated: z.boolean(),
});

const equalsClaim = z.strictObject({
  ...base,
  check: z.literal('equals'),
  fact: z.enum(FACT_IDS),
  /** A version: "3.9" also matches "3.9.18". */
  value: z.string().min(1),
});

const kindEnum = z.enum(['venv', 'docker', 'vm']);

/** A boolean fact a driver records as "yes: evidence" / "no: evidence" (e.g. the image stays read-only). */
const holdsClaim = z.strictObject({
  ...base,
  check: z.literal('holds'),
  fact: z.enum(HOLDS_FACT_IDS),
  /** A "yes" shows the claim only when its evidence matches this pattern (e.g. a rebuild that used the cache). */
  shownWhen: z.strictObject({ pattern: z.string().min(1), means: text }).optional(),
});

/**
 * "X can differ" (another Python, another OS release, another kernel): confirmed only when two instances of the run
 * were seen to differ on the probe's value: one of the kind beside the host, or two of the kind beside each other.
 */
const differsClaim = z.strictObject({
  ...base,
  check: z.literal('differs'),
  probe: z.enum(DIFFERS_PROBES),
  /** Where the run can show only the claim's principle, not its literal case (another Debian, not Ubuntu): said in the row. */
  principle: text.optional(),
});

/** The claim's kind ranks `rank` (1 = smallest) among the kinds on each measure: one metric per kind. */
const rankClaim = z.strictObject({
  ...base,
  /** What the ordering is of: each measure ranks one quantity, named by its metrics. */
  doc: z.strictObject({ on: z.enum(DOC_SUBJECT_IDS as [DocSubject, ...DocSubject[]]) }),
  check: z.literal('rank'),
  rank: z.number().int().min(1).max(3),
  by: z.array(z.record(kindEnum, metricId)).min(1),
});

/** The claim's kind's metric over another kind's is above `above` (e.g. a VM's import time over a venv's). */
const ratioClaim = z.strictObject({
  ...base,
  ...docMeasure,
  check: z.literal('ratio'),
  metric: metricId,
  over: kindEnum,
  above: z.number().positive(),
});

/** A security level judged where the probes decide it: which kernel answers, whether root inside is root on the host. */
const securityClaim = z.strictObject({
  ...base,
  check: z.literal('security'),
  /** The kernel the level implies answers the environment's system calls: the host's, or another (gVisor's, a guest's). */
  kernel: z.enum(['host', 'not-host']).optional(),
  /** Whether the level implies root inside is root on the host. */
  rootOnHost: z.boolean().optional(),
  /** "Complete isolation": no probe may find anything shared. */
  allIsolated: z.boolean().optional(),
  /** The part of the level no probe observes, said as a judgment. */
  rest: text,
});

const unmeasurableClaim = z.strictObject({
  ...base,
  check: z.literal('unmeasurable'),
  why: text,
});

export const claimSchema = z.discriminatedUnion('check', [
  rangeClaim,
  pointClaim,
  lessThanClaim,
  isolationClaim,
  equalsClaim,
  holdsClaim,
  differsClaim,
  rankClaim,
  ratioClaim,
  securityClaim,
  unmeasurableClaim,
]);

export const claimsFileSchema = z
  .strictObject({ document: z.string().min(1), claims: z.array(claimSchema).min(1) })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.claims.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', message: `duplicate claim id "${c.id}"`, path: ['claims', i, 'id'] });
      seen.add(c.id);
      for (const key of ['metric', 'than'] as const) {
        const id = key in c ? (c as Record<string, unknown>)[key] : undefined;
        if (isMetricId(id) && !(METRICS[id].kinds as readonly string[]).includes(c.kind))
          ctx.addIssue({ code: 'custom', message: `${id} is not measured for ${c.kind}`, path: ['claims', i, key] });
      }
      for (const issue of likenessIssues(c)) ctx.addIssue({ code: 'custom', message: `${c.id}: ${issue}`, path: ['claims', i, 'doc'] });
    });
  });

/**
 * Where a claim's metric is not the document's measurement: another quantity; another way when a metric taken the
 * document's way exists (that one is judged); a less-than or a rank measure across two quantities. Empty when like.
 */
export function likenessIssues(c: z.infer<typeof claimSchema>): string[] {
  const out: string[] = [];
  if (c.check === 'rank') {
    c.by.forEach((m, j) => {
      if (!measureQuantity(m)) out.push(`rank measure ${j + 1} mixes quantities (${Object.values(m).join(', ')}): rank one quantity at a time`);
    });
    return out;
  }
  if (!('doc' in c)) return out;
  const { what, how } = c.doc;
  const kinds = c.check === 'ratio' ? [c.kind, c.over] : [c.kind];
  for (const k of kinds) {
    if (!metricIs(c.metric, k, what)) out.push(`${c.metric} on ${k} is not ${what}, the document's quantity`);
    if (how === 'unstated' || metricHow(c.metric, k) === how) continue;
    const docWay = METRIC_IDS.find((id) => (METRICS[id].kinds as readonly string[]).includes(k) && metricIs(id, k, what) && metricHow(id, k) === how);
    if (docWay) out.push(`${c.metric} is taken by ${metricHow(c.metric, k)}; ${docWay} is taken the document's way (${how}): judge it`);
  }
  if (c.check === 'less-than' && !metricIs(c.than, c.kind, what)) out.push(`${c.than} is not ${what}: a less-than compares one quantity`);
  return out;
}

export type Claim = z.infer<typeof claimSchema>;
export type ClaimsFile = z.infer<typeof claimsFileSchema>;
