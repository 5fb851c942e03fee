// English strings for what a reader meets first (the box, environments, phases) and for verdict notes.
import type { ProbeResult, SamplePlanResult } from '../../results/schema.js';
import { formatRange, formatValue } from '../format.js';
import { likenessEn, namedOrders } from './likeness.js';

type Args = Record<string, string | number>;
const s = (a: Args, k: string) => String(a[k] ?? '');
const unitOf = (a: Args) => (a.unit === 'ms' || a.unit === 'bytes' ? a.unit : 'count');
/** "its 95% CI (1.20–1.45 s, n=10)" from a verdict note's span arguments. */
const span = (a: Args) => {
  const r = formatRange(Number(a.lo), Number(a.hi), unitOf(a));
  return a.basis === 'ci' ? `its 95% CI (${r}, n=${s(a, 'n')})` : a.basis === 'samples' ? `all ${s(a, 'n')} samples (${r})` : 'the single value';
};

/** The English words of the reader-facing parts and of verdict notes (`reader` in the messages). */
export const enReader = {
  /** A verdict note (claims/verdict.ts) in words; undefined for a code this version does not know. */
  note: (code: string, a: Args): string | undefined =>
    ((
      {
        'cross-kind-missing': () => `the comparison across kinds lacks ${s(a, 'missing')}`,
        'not-recorded': () => `${s(a, 'env')} did not record ${s(a, 'what')}`,
        'env-status': () => `${s(a, 'env')} ${s(a, 'status')}`,
        'no-env': () => `no ${s(a, 'kind')} environment in this run`,
        'probe-undetermined': () => `the ${s(a, 'probe')} probe could not decide`,
        'crosses-bound': () => `${span(a)} crosses the band's edge (${formatValue(Number(a.bound), unitOf(a))})`,
        'crosses-2x': () => `${span(a)} crosses the 2× line`,
        'spans-overlap': () => 'the two spans overlap',
        emulated: () => `${s(a, 'env')} ran under ${s(a, 'accel')}, software emulation: its ${s(a, 'metric')} is shown, not judged against a hypervisor's`,
        'needs-kvm': () => `a hypervisor's overhead needs a VM under KVM; ${s(a, 'env')} ran under ${s(a, 'accel')}, whose slowdown is the emulator's`,
        'holds-not-shown': () => `this run's evidence does not show it (${s(a, 'evidence')})`,
        'differs-host': () => `${s(a, 'env')} has ${s(a, 'value')}; the host, at the same time, has ${s(a, 'host')}`,
        'differs-pair': () => `${s(a, 'a')} has ${s(a, 'av')}; ${s(a, 'b')} has ${s(a, 'bv')}`,
        same: () => `every instance here (${s(a, 'envs')}) had ${s(a, 'value')}, ${s(a, 'host') ? `which the host has too (${s(a, 'host')})` : 'and the probe recorded nothing of the host'}; no two instances differed`,
        rank: () => namedOrders(s(a, 'order'), s(a, 'quantities'), likenessEn),
        'rank-tie': () => `${namedOrders(s(a, 'order'), s(a, 'quantities'), likenessEn)} (≈: a tie, within noise, or single values within 2×)`,
        'ratio-spans': () => `the ratio's span (${Number(a.lo).toPrecision(3)}–${Number(a.hi).toPrecision(3)}×) crosses ${s(a, 'above')}×`,
        'fact-unclear': () => s(a, 'fact'),
        'unlike-on': () => likenessEn.unlikeOn(s(a, 'docOn'), s(a, 'on'), s(a, 'env')),
        'unlike-how': () => likenessEn.unlikeHow(s(a, 'docHow'), s(a, 'how')),
        'rank-workload': () => `${namedOrders(s(a, 'order'), s(a, 'quantities'), likenessEn)}: the workload's own figures, the same program in each kind`,
        'rank-emulated': () => `${s(a, 'env')} ran under ${s(a, 'accel')}, software emulation; every measure of this ordering depends on it`,
      } as Record<string, () => string>
    )[code]?.()),
  band: (text: string) => `band: ${text}`,
  bandPoint: (value: string, pct: number) => `${value} ± ${pct}%`,
  bandTwo: 'outside it: within 2× or off',
  rankOf: (ranks: string, n: number) => `rank ${ranks} of ${n}`,
  /** One rank per quantity ranked, each named: "memory rank 1–2, disk rank 1 (of 3)". */
  rankBy: (parts: readonly [string, string][], n: number) => `${parts.map(([q, r]) => `${q} rank ${r}`).join(', ')} (of ${n})`,
  rankQuantity: { memory: 'memory', disk: 'disk', start: 'start time' } as Record<string, string>,
  ratioOf: (x: string, over: string, what?: string) => `${x}× ${over}${what ? ` (${what})` : ''}`,
  rankBand: 'single values within 2× of each other, or spans that overlap, are ties',
  ratioBand: (above: number) => `band: ratio above ${above}×, by the spans`,
  notShown: (why: string) => `◇ not shown here: ${why}`,
  notShownName: 'not shown here',
  emulatedMark: 'emulation (TCG): shown, not judged',
  notShownMark: 'not shown here',
  emulatedLabel: 'TCG emulation',
  emulatedHeadline: (n: number) => `${n === 1 ? 'One of them is a VM timing' : `${n} of them are VM timings`} under TCG emulation, shown, not judged.`,
  headings: {
    docTable: "The document's comparison table, measured here",
    readFirst: 'Read this first',
    envs: 'Environments (short name and what it is)',
    phases: 'Create, install, start: what each phase means in each row',
  },
  readFirst: {
    tcg: (envs: string, reason: string) => `The VMs here (${envs}) ran under TCG, QEMU's software emulation: every guest instruction is translated, so their times are many times those of a VM under KVM. They are shown, labelled as emulation, and not judged.${reason ? ` Why not KVM: ${reason}` : ''}`,
    kvm: (envs: string) => `The VMs here (${envs}) ran under KVM (hardware virtualization): their times are judged.`,
    hostVm: (v: string) => `This host is itself a virtual machine (${v}).`,
    host: (cpu: string, cores: number, mem: string) => `This host: ${cpu}, ${cores} cores, ${mem} of memory. Every figure is of this machine.`,
    guests: (envs: string, desktop: string) =>
      `The VM guests here (${envs}) are minimal Debian server systems built with debootstrap, with no desktop. The document's VM is Ubuntu 22.04 installed from its ISO (20 GB allocated, 8 GB used; it names no edition, and a desktop install stands for it here). ${desktop ? `Its VM sizes are judged on ${desktop}, a Debian 12 guest with a desktop installed; the minimal guests' sizes are shown beside them, not judged.` : 'No desktop guest ran, so its VM sizes are shown beside them, not judged.'}`,
    hostVmUnknown: 'The results do not record whether this host is itself a virtual machine.',
    offline: (images: string) => `No container registry was reachable: the images were built offline on a local Debian base (${images}), not pulled.`,
    os: (seen: string, host: string) => `Every system here is ${seen} (host: ${host}); the document's examples are Ubuntu and CentOS.`,
    osMixed: (seen: string, host: string) => `Systems seen here: ${seen} (host: ${host}); the document's examples are Ubuntu and CentOS.`,
    plan: (envs: string, p: PlanWords) => `Sample plan of ${envs}: ${planWords(p)}.`,
    leftOut: (env: string, repeats: string) =>
      `${env} was left out of this run: under TCG it would repeat the evidence of ${repeats || 'another row'} (the same image and kernel) at minutes a boot. Include it with \`isobench run --only all\` or \`environments.vm.vagrant.enabled: true\`.`,
  },
  envCols: { name: 'Short name', kind: 'Kind', what: 'What it is', python: 'Python', accel: 'Acceleration' },
  phaseCols: { env: 'Environment', create: 'Create', install: 'Install', start: 'Start (ready)', means: 'What these phases mean in this row' },
  phase: {
    lookup: (build: string) => `create is a lookup of an image built before (its build took ${build}, once)`,
    lookupNoBuild: 'create is only a lookup of something prepared before',
    atBuild: 'install was timed at image build, not in this run',
    pipIndex: (fastest: string) =>
      `install ran pip against a package index; it took many times the fastest install here (${fastest}): if pip retried an index it could not reach, most of this time may be waiting, not installing (the results hold no pip output to tell)`,
    imageBuild: (offline: boolean) => `install is an image build in this run${offline ? ' (pip from a wheelhouse, no index)' : ''}`,
    pipRetried: (n: number) => `install includes ${n} retries of an index pip could not reach, each after a back-off: much of it is waiting, not installing`,
    cachedBuild: "install is a cached build of the Docker row's image (pip ran in that row's uncached build), run on this row's engine or runtime",
    preinstalled: "requests came with the image (its suite's Debian package, in the debootstrap): no install was timed",
    fromBox: 'create makes a machine from the box (vagrant up --no-provision: the box volume imported, the first boot)',
    provisioned: 'install is vagrant provision on that machine (the wheelhouse copied in, a venv, pip), in this run',
    restarted: 'start boots that machine again after vagrant halt (no provisioning), as a QEMU row boots its image',
    emulated: 'start ran under TCG emulation',
    same: 'create, install and start as measured in this run',
  },
  /** One probe's finding in words. */
  probeSummary: (p: ProbeResult) => (p.error ? `${p.summary} (${p.error})` : p.summary),
  /** A metric's "how measured" text. */
  method: (_id: string, method: string) => method,
  /** A note of the run or of a driver. */
  runNote: (note: string) => note,
  /** An environment's full description. */
  describe: (label: string, _facts: Record<string, string>, _plan?: string) => label,
};

/** What the read-first box says of a sample plan: its id, why, and its counts (results.json's plan). */
export type PlanWords = Pick<SamplePlanResult, 'id' | 'reason' | 'starts' | 'imports' | 'probes'>;

function intervalWords(n: number): string {
  return n >= 6 ? 'medians with their 95% interval' : `n=${n}, too few for a 95% interval`;
}

function planWords(p: PlanWords): string {
  const probes = p.probes ? '' : '; no probes';
  switch (p.reason) {
    case 'fast-start': return `${p.starts} timed starts each (a start takes under a second), ${intervalWords(p.starts)}${probes}`;
    case 'kvm': return `${p.starts} timed boots each under KVM, ${intervalWords(p.starts)}${probes}`;
    case 'tcg': return `one timed boot and ${p.imports === 1 ? 'one warm import' : `${p.imports} warm imports`} each under TCG (emulation: shown, not judged), so the boot is n=1, with no interval; the probes' other instances booted after it, untimed${probes}`;
    case 'suite-row': return `one start each (a suite row shows its size and probes), no interval${probes}`;
    case 'sizes-only': return `one start that no number times (sizes and memory only)${probes}`;
    case 'config': return `${p.starts} timed ${p.starts === 1 ? 'start' : 'starts'} each, as the config set, ${intervalWords(p.starts)}${probes}`;
    case 'tcg-repeats': return 'not run';
  }
}
