// Sample plans shared by the kinds' rows (a row's own plan is data on its env: see SamplePlan in types.ts).
import type { SamplePlan } from './types.js';

/** What a suite row measures: one start, no warm-ups, the first import only (its size and probes come on top). */
export const SUITE_PLAN: SamplePlan = { id: 'single', reason: 'suite-row', start: { samples: 1, warmups: 0 }, imports: { samples: 0, warmups: 0 } };
