// The stable metric and fact ids drivers and the runner report, with their units and kinds.
import type { Kind } from '../drivers/types.js';

type Unit = 'ms' | 'bytes' | 'count';
const ALL: readonly Kind[] = ['venv', 'docker', 'vm'];

/**
 * What a number is, whoever measured it: the document's claims name one, every metric names its own, and a verdict
 * compares only the same quantity (a rank ranks one at a time).
 */
export const QUANTITIES = [
  'time.create', 'time.install', 'time.ready', 'time.up', 'time.import', 'time.activate', 'time.shell', 'time.build',
  'time.api', 'time.ssh',
  'memory.workload', 'memory.host', 'memory.given', 'memory.guest',
  'disk.used', 'disk.allocated', 'disk.host', 'disk.guestSize', 'disk.guestAvail', 'image.size', 'disk.layersStored',
  'count.files', 'count.layers',
] as const;
export type Quantity = (typeof QUANTITIES)[number];

/**
 * The workload's own figures: the same program in every kind. An ordering of the kinds shows them beside the rest
 * (that the program weighs the same everywhere is the point) but is judged on what the environment adds.
 */
export const WORKLOAD_QUANTITIES: readonly Quantity[] = ['memory.workload'];

/** How a number was taken: the document's commands, and isobench's own ways where no document command applies. */
export const HOWS = [
  'du-sh', 'du-apparent', 'df-used', 'qemu-img-actual', 'qemu-img-virtual', 'docker-images', 'docker-system-df',
  'time-docker-run', 'time-source', 'time-vagrant-ssh', 'engine-api', 'wall-clock', 'in-python', 'getrusage',
  'vmrss-sum', 'cgroup', 'qemu-rss', 'meminfo', 'qemu-m', 'count',
] as const;
export type How = (typeof HOWS)[number];

interface MetricDef {
  unit: Unit;
  kinds: readonly Kind[];
  what: Quantity;
  /** One way for every kind, or each kind's own. */
  how: How | Partial<Record<Kind, How>>;
  /** Other quantities this metric also is, on the kinds named (a venv's one Python is the whole of its host memory). */
  alsoIs?: Partial<Record<Kind, readonly Quantity[]>>;
  /** Under software emulation (TCG) the emulator adds to it (QEMU's translation cache): not the guest's own figure. */
  emulatorInflated?: true;
}

/** Every metric id isobench produces: its unit, the kinds that report it, what it is and how it is taken. */
export const METRICS = {
  'create.ms': { unit: 'ms', kinds: ALL, what: 'time.create', how: 'wall-clock' },
  'install.ms': { unit: 'ms', kinds: ALL, what: 'time.install', how: 'wall-clock' },
  'ready.python.ms': { unit: 'ms', kinds: ALL, what: 'time.ready', how: { venv: 'wall-clock', docker: 'engine-api', vm: 'wall-clock' } },
  'instance.up.ms': { unit: 'ms', kinds: ['docker', 'vm'], what: 'time.up', how: { docker: 'engine-api', vm: 'wall-clock' } },
  'import.first.ms': { unit: 'ms', kinds: ALL, what: 'time.import', how: 'wall-clock' },
  'import.warm.ms': { unit: 'ms', kinds: ALL, what: 'time.import', how: 'wall-clock' },
  'python.maxrss.bytes': { unit: 'bytes', kinds: ALL, what: 'memory.workload', how: 'getrusage', alsoIs: { venv: ['memory.host'] } },
  'import.inner.ms': { unit: 'ms', kinds: ALL, what: 'time.import', how: 'in-python' },
  'disk.apparent.bytes': { unit: 'bytes', kinds: ['venv'], what: 'disk.used', how: 'du-apparent' },
  'disk.allocated.bytes': { unit: 'bytes', kinds: ['venv'], what: 'disk.used', how: 'du-sh', alsoIs: { venv: ['disk.host'] } },
  'disk.files.count': { unit: 'count', kinds: ['venv'], what: 'count.files', how: 'count' },
  'activate.ms': { unit: 'ms', kinds: ['venv'], what: 'time.activate', how: 'time-source' },
  'activate.shell.ms': { unit: 'ms', kinds: ['venv'], what: 'time.shell', how: 'wall-clock' },
  'bash.baseline.ms': { unit: 'ms', kinds: ['venv'], what: 'time.shell', how: 'wall-clock' },
  'image.bytes': { unit: 'bytes', kinds: ['docker'], what: 'image.size', how: 'docker-images', alsoIs: { docker: ['disk.host'] } },
  'image.layers.count': { unit: 'count', kinds: ['docker'], what: 'count.layers', how: 'count' },
  'build.cold.ms': { unit: 'ms', kinds: ['docker'], what: 'time.build', how: 'engine-api' },
  'build.cached.ms': { unit: 'ms', kinds: ['docker'], what: 'time.build', how: 'engine-api' },
  'run.cli.ms': { unit: 'ms', kinds: ['docker'], what: 'time.ready', how: 'time-docker-run' },
  'run.api.create.ms': { unit: 'ms', kinds: ['docker'], what: 'time.api', how: 'engine-api' },
  'run.api.start.ms': { unit: 'ms', kinds: ['docker'], what: 'time.api', how: 'engine-api' },
  'run.api.firstOutput.ms': { unit: 'ms', kinds: ['docker'], what: 'time.api', how: 'engine-api' },
  'run.api.exit.ms': { unit: 'ms', kinds: ['docker'], what: 'time.api', how: 'engine-api' },
  'run.api.remove.ms': { unit: 'ms', kinds: ['docker'], what: 'time.api', how: 'engine-api' },
  'layers.a.bytes': { unit: 'bytes', kinds: ['docker'], what: 'image.size', how: 'docker-images' },
  'layers.b.bytes': { unit: 'bytes', kinds: ['docker'], what: 'image.size', how: 'docker-images' },
  'layers.shared.bytes': { unit: 'bytes', kinds: ['docker'], what: 'disk.layersStored', how: 'docker-images' },
  'layers.sum.bytes': { unit: 'bytes', kinds: ['docker'], what: 'disk.layersStored', how: 'docker-images' },
  'layers.diskUsed.bytes': { unit: 'bytes', kinds: ['docker'], what: 'disk.layersStored', how: 'docker-system-df' },
  'memory.processes.bytes': { unit: 'bytes', kinds: ['docker'], what: 'memory.host', how: 'vmrss-sum' },
  'memory.container.bytes': { unit: 'bytes', kinds: ['docker'], what: 'memory.host', how: 'cgroup' },
  'memory.python.bytes': { unit: 'bytes', kinds: ['docker'], what: 'memory.host', how: 'vmrss-sum' },
  'disk.actual.bytes': { unit: 'bytes', kinds: ['vm'], what: 'disk.host', how: 'qemu-img-actual' },
  'disk.virtual.bytes': { unit: 'bytes', kinds: ['vm'], what: 'disk.allocated', how: 'qemu-img-virtual' },
  'disk.guestSize.bytes': { unit: 'bytes', kinds: ['vm'], what: 'disk.guestSize', how: 'df-used' },
  'disk.guestUsed.bytes': { unit: 'bytes', kinds: ['vm'], what: 'disk.used', how: 'df-used' },
  'disk.guestAvail.bytes': { unit: 'bytes', kinds: ['vm'], what: 'disk.guestAvail', how: 'df-used' },
  'memory.given.bytes': { unit: 'bytes', kinds: ['vm'], what: 'memory.given', how: 'qemu-m' },
  'memory.qemuRss.bytes': { unit: 'bytes', kinds: ['vm'], what: 'memory.host', how: 'qemu-rss', emulatorInflated: true },
  'memory.guestUsed.bytes': { unit: 'bytes', kinds: ['vm'], what: 'memory.guest', how: 'meminfo' },
  'vm.image.build.ms': { unit: 'ms', kinds: ['vm'], what: 'time.build', how: 'wall-clock' },
  'vagrant.ssh.ms': { unit: 'ms', kinds: ['vm'], what: 'time.ssh', how: 'time-vagrant-ssh' },
} as const satisfies Record<string, MetricDef>;

export type MetricId = keyof typeof METRICS;
export const METRIC_IDS = Object.keys(METRICS) as MetricId[];

const def = (id: MetricId): MetricDef => METRICS[id];

/** How a metric is taken on a kind. */
export function metricHow(id: MetricId, kind: Kind): How {
  const how = def(id).how;
  return typeof how === 'string' ? how : how[kind]!;
}

/** Whether a metric is the quantity q on a kind (its own quantity, or one it also is there). */
export function metricIs(id: MetricId, kind: Kind, q: Quantity): boolean {
  return def(id).what === q || (def(id).alsoIs?.[kind] ?? []).includes(q);
}

/** Whether software emulation adds to the metric itself (beyond slowing a timing). */
export function emulatorInflated(id: MetricId): boolean {
  return def(id).emulatorInflated === true;
}

/** The one quantity every metric of a rank measure is ({kind: metric}), or undefined when they are not one quantity. */
export function measureQuantity(measure: Readonly<Partial<Record<Kind, MetricId>>>): Quantity | undefined {
  const entries = Object.entries(measure) as [Kind, MetricId][];
  const candidates = QUANTITIES.filter((q) => entries.every(([k, id]) => metricIs(id, k, q)));
  return candidates[0];
}

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
