// The VM driver's QEMU backend: one row per guest profile (full OS: firmware + extlinux + systemd;
// micro-VM: direct kernel boot + sh init; desktop OS: the full OS plus a desktop, sizes only) from the offline images, or a downloaded cloud image
// (firmware + disk, cloud-init seed); all run the same JSON-lines agent.
import { isobenchCommand } from '../../lifecycle/paths.js';
import type { Config } from '../../config/schema.js';
import { run } from '../../lifecycle/process.js';
import type { Driver, DriverContext, Env, EnvSpec, ExecOptions, Instance, Metric, Preflight, Step } from '../types.js';
import { accelNote, kvmAccessible, resolveAccel, type AccelDecision } from './accel.js';
import { bootGuest, type Guest } from './boot.js';
import { INSTALL_MS_PATH } from './cloud-init.js';
import { cloudImageName, cloudPreflight, ensureCloudImage, type CloudImage, type GuestImage } from './cloud-image.js';
import { guestArgv } from './guest-init.js';
import { buildVmImage, findVmImage, type VmImage } from './image.js';
import { guestProfile, guestSummary, PROFILES, profileEnvName, profileOfEnvName, sizesOnly, vmPlan, type GuestProfile, type ProfileName } from './profiles.js';
import { withSuite } from '../../images/debian.js';
import { suiteName } from '../../images/suites.js';
import { QEMU_BINARY } from './qemu-args.js';
import { killQemuProcesses } from './orphans.js';
import { diskMetrics, guestDf, guestUsedBytes, processRssBytes } from './vm-metrics.js';

export interface QemuEnv extends Env {
  kind: 'vm';
  backend: 'qemu';
  image: GuestImage;
  profile: GuestProfile;
  accel: AccelDecision;
  /** Guests started and not yet stopped. */
  guests: Set<Guest>;
  starts: number;
}

export interface QemuInstance extends Instance {
  env: QemuEnv;
  guest: Guest;
}

async function toolVersion(argv: string[]): Promise<string | undefined> {
  const r = await run(argv, { step: `${argv[0]} --version`, timeoutMs: 10_000 });
  return r.exitCode === 0 ? r.stdout.split('\n')[0]!.trim() : undefined;
}

async function preflight(ctx: DriverContext): Promise<Preflight> {
  const vm = ctx.config.environments.vm;
  const fix = 'install QEMU: apt-get install qemu-system-x86 qemu-utils (or run .ci/vm.sh as root)';
  const qemu = await toolVersion([QEMU_BINARY, '--version']);
  if (!qemu) return { ok: false, reason: `${QEMU_BINARY} not found or not runnable`, fix };
  const qemuImg = await toolVersion(['qemu-img', '--version']);
  if (!qemuImg) return { ok: false, reason: 'qemu-img not found', fix };
  const facts: Record<string, string> = { 'qemu.version': qemu, 'vm.kvmDevice': String(await kvmAccessible()) };
  if (vm.image === 'cloud') return cloudPreflight(ctx, facts);
  const images = await Promise.all(vm.guests.map(async (g) => [g, await findVmImage(ctx, g)] as const));
  const suites = await Promise.all(vm.suites.map(async (x) => [`micro ${x}`, await findVmImage(withSuite(ctx, x), 'micro')] as const));
  const missing = [...images, ...suites].filter(([, i]) => !i).map(([g]) => g);
  if (missing.length) {
    facts['vm.image'] = `${missing.join(', ')}: not built yet (create builds it)`;
    facts['vm.accel'] = `${vm.accel} (decided after the image is built)`;
    if (process.getuid?.() !== 0) {
      return { ok: false, reason: `no cached VM image for ${missing.join(', ')}, and building one needs root (debootstrap, chroot, loop devices)`, fix: `run \`sudo ${isobenchCommand()} images build vm\` once: the images go into your cache`, facts };
    }
    const firmware = images.some(([g, i]) => !i && PROFILES[g].boot === 'firmware');
    const tools = [['debootstrap', '--version'], ['mkfs.ext4', '-V'], ...(firmware ? [['extlinux', '--version'], ['sfdisk', '--version'], ['losetup', '--version']] : [])];
    for (const tool of tools) {
      const r = await run(tool, { step: tool[0]!, timeoutMs: 10_000 });
      if (r.exitCode === -1) return { ok: false, reason: `${tool[0]} not found (needed to build the VM image)`, fix: 'apt-get install debootstrap e2fsprogs extlinux fdisk mount (or run .ci/vm.sh)', facts };
    }
    return { ok: true, facts };
  }
  const [first, image] = images[0]!;
  facts['vm.image'] = [...images, ...suites].map(([g, i]) => `${g}: ${i!.manifest.suite} ${i!.manifest.kernelRelease}, built ${i!.manifest.builtAt}`).join('; ');
  const accel = await resolveAccel(image!, guestProfile(first, vm), ctx);
  facts['vm.accel'] = accel.accel;
  facts['vm.accel.reason'] = accel.reason;
  return { ok: true, facts };
}

/** One row per guest profile (a cloud image is one row, with the full guest's allocation). */
function specs(config: Config): EnvSpec[] {
  const vm = config.environments.vm;
  if (!vm.enabled) return [];
  // The label names the guest a verdict rests on: what it is, its init and boot path, its memory and vCPUs.
  if (vm.image === 'cloud' && vm.cloud) {
    const p = guestProfile('full', vm);
    return [{ name: 'vm-cloud', label: `${cloudImageName(vm.cloud)}: full OS, its own init, firmware + boot loader from its disk (QEMU, ${p.memoryMiB} MiB, ${p.cpus} vCPU)` }];
  }
  const row = (g: ProfileName, suite?: string): EnvSpec => {
    const p = guestProfile(g, vm);
    const debian = `Debian ${suiteName(suite ?? config.debian.suite)}`;
    const base = `${debian} ${p.variant}${p.aptPackages.length ? ` + ${p.aptPackages.join(' ')}` : ''}`;
    const plan = suite ? '; one boot, probes and size only' : sizesOnly(p.sampling) ? `; ${p.diskGiB} GiB disk, one untimed boot, sizes only` : '';
    const label = `${p.title}: ${base}, init ${p.init}, ${p.bootPath} (QEMU, ${p.memoryMiB} MiB, ${p.cpus} vCPU${plan})`;
    return { name: profileEnvName(g, suite), label, ...(suite ? { suite } : {}) };
  };
  return [...vm.guests.map((g) => row(g)), ...vm.suites.map((s) => row('micro', s))];
}

async function offlineImage(profile: GuestProfile, ctx: DriverContext): Promise<VmImage> {
  const image = await buildVmImage(ctx, profile.name);
  if (image.built) {
    ctx.note(
      `VM image (${profile.title}) built locally in ${(image.manifest.buildMs / 1000).toFixed(0)} s (debootstrap ${image.manifest.suite}, kernel ${image.manifest.kernelRelease}, venv with ${image.manifest.packages.join(' ')}); not a downloaded cloud image`,
    );
  }
  return image;
}

/** What the report says about a guest, in the row itself: profile, init, boot path, allocation, acceleration. */
export function guestFacts(p: GuestProfile, accel: AccelDecision, cloud?: string): Record<string, string> {
  const profile = cloud ? { ...p, title: `cloud image ${cloud}`, init: 'the image\'s own (systemd, cloud-init)', bootPath: 'SeaBIOS → the image\'s boot loader' } : p;
  return {
    'vm.guest': guestSummary(profile, accel.accel),
    'vm.profile': cloud ? 'cloud' : p.name,
    subject: cloud ? 'cloud-image' : p.subject,
    'isolation.step': p.name === 'micro' && !cloud ? 'micro-vm' : 'full-vm',
    'vm.init': profile.init,
    'vm.boot': profile.bootPath,
    'vm.ready': cloud ? 'cloud-init finished and the agent answered' : p.readiness,
    'vm.memoryMiB': String(p.memoryMiB),
    'vm.cpus': String(p.cpus),
    'vm.accel': accel.accel.toUpperCase(),
    'vm.accel.reason': accel.reason,
  };
}

/** An offline image's Debian suite and kernel, for the row (the Python comes from the run's first import). */
function imageFacts(image: GuestImage): Record<string, string> {
  if (image.source !== 'offline') return {};
  return { 'debian.suite': suiteName(image.manifest.suite), 'vm.kernel': image.manifest.kernelRelease };
}

/** Where a cloud guest's packages come from, for the notes. */
const cloudPipSource = (image: CloudImage) => (image.wheelhouse ? `from the wheelhouse ${image.wheelhouse} carried in the seed` : 'from the network');

async function cloudImage(ctx: DriverContext): Promise<CloudImage> {
  const image = await ensureCloudImage(ctx);
  const d = image.downloaded;
  ctx.note(
    d
      ? `VM cloud image downloaded from ${image.url} (${(d.bytes / 2 ** 20).toFixed(1)} MiB in ${(d.durationMs / 1000).toFixed(1)} s, sha256 verified) into ${image.disk}`
      : `VM cloud image ${image.url} from the cache (${image.disk}, sha256 verified when downloaded)`,
  );
  ctx.note(
    `VM guests boot the cloud image through its own bootloader (firmware + disk, no direct kernel boot), each from a fresh overlay with a cloud-init NoCloud seed: "ready" includes cloud-init installing python3-venv (apt, network) and ${ctx.config.packages.join(' ')} (pip, ${cloudPipSource(image)}) at every start`,
  );
  return image;
}

async function create(spec: EnvSpec, ctx: DriverContext): Promise<QemuEnv> {
  const vm = ctx.config.environments.vm;
  const cloud = vm.image === 'cloud';
  const profile = guestProfile(cloud ? 'full' : profileOfEnvName(spec.name), vm);
  const image = cloud ? await cloudImage(ctx) : await offlineImage(profile, withSuite(ctx, spec.suite));
  const accel = await resolveAccel(image, profile, ctx);
  ctx.note(accelNote(accel, vm.tcgTbSizeMiB));
  if (!cloud && profile.note && !spec.suite) ctx.note(profile.note);
  const facts = { ...guestFacts(profile, accel, cloud && vm.cloud ? cloudImageName(vm.cloud) : undefined), ...imageFacts(image) };
  const kernel = image.source === 'offline' ? `, kernel ${image.manifest.kernelRelease}` : '';
  const plan = vmPlan(vm, facts['vm.profile'], accel.accel, { suite: Boolean(spec.suite) });
  const env: QemuEnv = { kind: 'vm', backend: 'qemu', name: spec.name, label: `${spec.label}${kernel}, ${accel.accel === 'tcg' ? 'TCG: software emulation, slower than KVM' : 'KVM'}`, facts, image, profile, accel, guests: new Set(), starts: 0, plan };
  ctx.cleanup.push(`vm env ${spec.name}`, () => destroy(env, ctx));
  return env;
}

/** A cloud guest installs the packages (cloud-init) at every boot: one boot reads that pip install's time, taken in the guest. */
async function installCloud(env: QemuEnv, image: CloudImage, pkgs: string[], ctx: DriverContext): Promise<Step> {
  const t0 = performance.now();
  const timeoutMs = ctx.config.environments.vm.bootTimeoutSec * 1000;
  const guest = await bootGuest({ id: `${env.name}-install`, image, profile: env.profile, accel: env.accel.accel, publish: [], timeoutMs, t0 }, ctx);
  try {
    const r = await guest.agent.exec(['cat', INSTALL_MS_PATH], { timeoutMs: 30_000 });
    const ms = Number(r.stdout.trim());
    if (r.exitCode !== 0 || !r.stdout.trim() || !Number.isFinite(ms)) {
      return { step: 'install', ok: false, durationMs: performance.now() - t0, error: `the cloud guest recorded no pip install time in ${INSTALL_MS_PATH} (exit ${r.exitCode}: ${r.stderr.trim()})` };
    }
    const method = `pip install of ${pkgs.join(' ')} into the guest venv inside a booted cloud guest (cloud-init, ${cloudPipSource(image)}), in this run, timed by the guest's clock`;
    ctx.note(`VM install time: ${method}`);
    return { step: 'install', ok: true, durationMs: ms, method };
  } finally {
    await guest.stop();
  }
}

async function install(env: QemuEnv, pkgs: string[], ctx: DriverContext): Promise<Step> {
  const image = env.image;
  if (image.source === 'cloud') return installCloud(env, image, pkgs, ctx);
  const missing = pkgs.filter((p) => !image.manifest.packages.includes(p));
  if (missing.length) {
    return { step: 'install', ok: false, durationMs: 0, error: `the VM image has ${image.manifest.packages.join(' ')} baked in, not ${missing.join(' ')}: set packages in the config and rebuild (isobench images build vm)` };
  }
  const { installMs, debianPackages } = image.manifest;
  if (installMs === undefined) {
    const from = `${(debianPackages ?? []).join(', ')} from Debian ${suiteName(image.manifest.suite)}'s archive, in the image's debootstrap (${image.manifest.builtAt}; not timed apart), seen by the guest venv`;
    return { step: 'install', ok: true, durationMs: 0, untimed: true, method: from };
  }
  const method = `measured at image build (${image.manifest.builtAt}), not in this run: pip install --no-index of ${pkgs.join(' ')} into the guest venv from a wheelhouse, in a chroot, not inside a booted guest`;
  ctx.note(`VM install time: ${method}`);
  return { step: 'install', ok: true, durationMs: installMs, method };
}

async function start(env: QemuEnv, ctx: DriverContext, opts: { publish?: { inside: number; host: number }[] } = {}): Promise<QemuInstance> {
  const t0 = performance.now();
  const id = `${env.name}-${++env.starts}`;
  const timeoutMs = ctx.config.environments.vm.bootTimeoutSec * 1000;
  const guest = await bootGuest({ id, image: env.image, profile: env.profile, accel: env.accel.accel, publish: opts.publish ?? [], timeoutMs, t0 }, ctx);
  env.guests.add(guest);
  return { env, id: guest.qemuName, phases: guest.phases, guest };
}

async function stop(inst: QemuInstance): Promise<void> {
  await inst.guest.stop();
  inst.env.guests.delete(inst.guest);
}

async function measure(env: QemuEnv, ctx: DriverContext): Promise<Metric[]> {
  const metrics: Metric[] = [
    ...(await diskMetrics(env.image, [...env.guests].map((g) => g.overlay))),
    { id: 'memory.given.bytes', unit: 'bytes', value: env.profile.memoryMiB * 1024 * 1024, method: 'QEMU -m (guest RAM)' },
  ];
  if (env.image.source === 'offline') {
    const m = env.image.manifest;
    const how = env.profile.boot === 'direct' ? 'initrd, venv, mkfs.ext4 -d, qcow2' : 'venv, systemd units, MBR disk with extlinux, qcow2';
    const apt = m.aptPackages && m.aptMs !== undefined ? `, apt-get install ${m.aptPackages.join(' ')} with Recommends in the chroot (${(m.aptMs / 1000).toFixed(0)} s of it; ${m.debPackageCount} packages in the guest)` : '';
    metrics.push({ id: 'vm.image.build.ms', unit: 'ms', value: m.buildMs, method: `offline image build (debootstrap minbase${apt}, ${how}) at ${m.builtAt}` });
  }
  return metrics;
}

/** What QEMU's RSS holds besides guest RAM, for the method text. */
export function qemuRssMethod(accel: 'kvm' | 'tcg', tbSizeMiB: number): string {
  const tb = tbSizeMiB ? `${tbSizeMiB} MiB (-accel tcg,tb-size=${tbSizeMiB})` : 'QEMU\'s default 1 GiB';
  const extra = accel === 'tcg' ? ` + TCG's translation cache (up to ${tb}; absent under KVM)` : '';
  return `VmRSS of the QEMU process (/proc/PID/status): guest RAM the guest touched so far + QEMU's own code and devices${extra}`;
}

/** Inside a running guest: QEMU's RSS, memory used in the guest, and the root filesystem as the guest's own df sees it. */
async function memory(inst: QemuInstance, ctx: DriverContext): Promise<Metric[]> {
  const meminfo = await inst.guest.agent.exec(['cat', '/proc/meminfo'], { timeoutMs: 30_000 });
  return [
    { id: 'memory.qemuRss.bytes', unit: 'bytes', value: await processRssBytes(inst.guest.proc.pid), method: qemuRssMethod(inst.env.accel.accel, ctx.config.environments.vm.tcgTbSizeMiB) },
    { id: 'memory.guestUsed.bytes', unit: 'bytes', value: guestUsedBytes(meminfo), method: 'MemTotal - MemAvailable of /proc/meminfo inside the guest' },
    ...guestDfMetrics(guestDf(await inst.guest.agent.exec(['df', '-B1', '--output=size,used,avail', '/'], { timeoutMs: 30_000 })), inst.env.profile.title),
  ];
}

/** The guest's own view of its disk, as the document's `df -h` inside the VM. */
function guestDfMetrics(df: ReturnType<typeof guestDf>, guest: string): Metric[] {
  const how = (what: string) => `${what} of / by df inside the booted ${guest} guest (the document's df -h in the VM)`;
  return [
    { id: 'disk.guestSize.bytes', unit: 'bytes', value: df.size, method: how('size') },
    { id: 'disk.guestUsed.bytes', unit: 'bytes', value: df.used, method: how('used') },
    { id: 'disk.guestAvail.bytes', unit: 'bytes', value: df.avail, method: how('available') },
  ];
}

/** Stops the guests of `env` still running, then kills any QEMU of this env the bookkeeping missed. */
async function destroy(env: QemuEnv, ctx: DriverContext): Promise<void> {
  for (const g of [...env.guests]) {
    await g.stop();
    env.guests.delete(g);
  }
  const left = await killQemuProcesses(`isobench-${ctx.runId}-${env.name}-`);
  if (left) ctx.log.warn(`vm: killed ${left} leftover QEMU process(es) of ${env.name}`);
}

/** The QEMU backend of the vm driver. */
export const qemuDriver: Driver<QemuEnv, QemuInstance> = {
  kind: 'vm',
  preflight,
  specs,
  create,
  install,
  start,
  exec: (inst, argv, opts?: ExecOptions) => inst.guest.agent.exec(guestArgv(argv), opts),
  spawn: async (inst, argv, opts?: ExecOptions) => inst.guest.agent.spawn(guestArgv(argv), opts),
  stop,
  measure,
  memory,
  destroy,
};
