// The stable metric and fact ids drivers and the runner report, with their units and kinds.
import type { Kind } from '../drivers/types.js';

type Unit = 'ms' | 'bytes' | 'count';
const ALL: readonly Kind[] = ['venv', 'docker', 'vm'];

/** Every metric id isobench produces: its unit and the environment kinds that report it. */
export const METRICS = {
  'create.ms': { unit: 'ms', kinds: ALL },
  'install.ms': { unit: 'ms', kinds: ALL },
  'ready.python.ms': { unit: 'ms', kinds: ALL },
  'instance.up.ms': { unit: 'ms', kinds: ['docker', 'vm'] },
  'import.first.ms': { unit: 'ms', kinds: ALL },
  'import.warm.ms': { unit: 'ms', kinds: ALL },
  'python.maxrss.bytes': { unit: 'bytes', kinds: ALL },
  'import.inner.ms': { unit: 'ms', kinds: ALL },
  'disk.apparent.bytes': { unit: 'bytes', kinds: ['venv'] },
  'disk.allocated.bytes': { unit: 'bytes', kinds: ['venv'] },
  'disk.files.count': { unit: 'count', kinds: ['venv'] },
  'activate.ms': { unit: 'ms', kinds: ['venv'] },
  'activate.shell.ms': { unit: 'ms', kinds: ['venv'] },
  'bash.baseline.ms': { unit: 'ms', kinds: ['venv'] },
  'image.bytes': { unit: 'bytes', kinds: ['docker'] },
  'image.layers.count': { unit: 'count', kinds: ['docker'] },
  'build.cold.ms': { unit: 'ms', kinds: ['docker'] },
  'build.cached.ms': { unit: 'ms', kinds: ['docker'] },
  'run.cli.ms': { unit: 'ms', kinds: ['docker'] },
  'run.api.create.ms': { unit: 'ms', kinds: ['docker'] },
  'run.api.start.ms': { unit: 'ms', kinds: ['docker'] },
  'run.api.firstOutput.ms': { unit: 'ms', kinds: ['docker'] },
  'run.api.exit.ms': { unit: 'ms', kinds: ['docker'] },
  'run.api.remove.ms': { unit: 'ms', kinds: ['docker'] },
  'layers.a.bytes': { unit: 'bytes', kinds: ['docker'] },
  'layers.b.bytes': { unit: 'bytes', kinds: ['docker'] },
  'layers.shared.bytes': { unit: 'bytes', kinds: ['docker'] },
  'layers.sum.bytes': { unit: 'bytes', kinds: ['docker'] },
  'layers.diskUsed.bytes': { unit: 'bytes', kinds: ['docker'] },
  'memory.processes.bytes': { unit: 'bytes', kinds: ['docker'] },
  'memory.container.bytes': { unit: 'bytes', kinds: ['docker'] },
  'memory.python.bytes': { unit: 'bytes', kinds: ['docker'] },
  'disk.actual.bytes': { unit: 'bytes', kinds: ['vm'] },
  'disk.virtual.bytes': { unit: 'bytes', kinds: ['vm'] },
  'disk.guestSize.bytes': { unit: 'bytes', kinds: ['vm'] },
  'disk.guestUsed.bytes': { unit: 'bytes', kinds: ['vm'] },
  'disk.guestAvail.bytes': { unit: 'bytes', kinds: ['vm'] },
  'memory.given.bytes': { unit: 'bytes', kinds: ['vm'] },
  'memory.qemuRss.bytes': { unit: 'bytes', kinds: ['vm'] },
  'memory.guestUsed.bytes': { unit: 'bytes', kinds: ['vm'] },
  'vm.image.build.ms': { unit: 'ms', kinds: ['vm'] },
  'vagrant.ssh.ms': { unit: 'ms', kinds: ['vm'] },
} as const satisfies Record<string, { unit: Unit; kinds: readonly Kind[] }>;

export type MetricId = keyof typeof METRICS;
export const METRIC_IDS = Object.keys(METRICS) as MetricId[];

/** Yes/no facts with their evidence ("yes: …" / "no: …"), judged by `holds` claims. */
export const HOLDS_FACT_IDS = ['docker.image.readOnly', 'docker.image.manyContainers', 'docker.build.onlyChangedRebuilt', 'docker.layers.storedOnce'] as const;

/** Strings every environment records in env.facts. */
export const FACT_IDS = ['python.version', 'requests.version'] as const;
export type FactId = (typeof FACT_IDS)[number];

/** What a density metric measures: ready and memory per instance, host memory per instance, Python ready (venv). */
export const DENSITY_PARTS = {
  ready: 'ready.ms',
  memory: 'memory.bytes',
  host: 'hostMemory.bytes',
  pythonReady: 'pythonReady.ms',
} as const;
export type DensityPart = keyof typeof DENSITY_PARTS;

/** The id of a density metric for k concurrent instances, e.g. density.k4.ready.ms. */
export function densityMetricId(k: number, part: DensityPart): string {
  return `density.k${k}.${DENSITY_PARTS[part]}`;
}

/** k and the part of a density metric id; undefined for any other id. */
export function parseDensityMetricId(id: string): { k: number; part: DensityPart } | undefined {
  const m = /^density\.k(\d+)\.(.+)$/.exec(id);
  const part = m && (Object.keys(DENSITY_PARTS) as DensityPart[]).find((p) => DENSITY_PARTS[p] === m[2]);
  return m && part ? { k: Number(m[1]), part } : undefined;
}
