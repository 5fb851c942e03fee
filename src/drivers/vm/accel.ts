// KVM or TCG: accel auto trusts KVM only after a short trial boot reaches readiness. The trial's answer
// is cached across runs, keyed by what decides it (QEMU version, host kernel, CPU model); accel:
// kvm-trial (and `isobench doctor`) boots a fresh trial and replaces the cached answer.
import { access, constants, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { cpus, release } from 'node:os';
import { join } from 'node:path';
import { cacheDir } from '../../lifecycle/paths.js';
import { run } from '../../lifecycle/process.js';
import type { DriverContext } from '../types.js';
import { bootGuest } from './boot.js';
import type { GuestImage } from './cloud-image.js';
import type { GuestProfile } from './profiles.js';
import { QEMU_BINARY, type Accel } from './qemu-args.js';

export interface AccelDecision {
  accel: Accel;
  /** Why, for the report: "config", "KVM trial boot ready in 1.2 s", "KVM trial boot hung: …". */
  reason: string;
}

const TCG_EFFECT =
  'TCG is QEMU software emulation: every guest instruction is translated, so the guest boots and runs many times slower than under KVM; VM boot and run times here are not those of a hardware-accelerated VM';

const decisions = new Map<string, Promise<AccelDecision>>();

/** What decides whether KVM boots a guest here: the cache key of a trial's answer. */
export interface AccelHost {
  qemu: string;
  kernel: string;
  cpu: string;
}

/** A trial's answer as cached: the host it was taken on, when, and the decision. */
export interface CachedTrial {
  host: AccelHost;
  at: string;
  decision: AccelDecision;
}

/** The cache file of a trial's answer for `host` (pure). */
export function trialCachePath(host: AccelHost, root = cacheDir()): string {
  const key = createHash('sha256').update(JSON.stringify([host.qemu, host.kernel, host.cpu])).digest('hex').slice(0, 16);
  return join(root, 'vm', `accel-trial-${key}.json`);
}

/** The cached decision as the report states it: where it came from and how to retry (pure). */
export function cachedDecision(c: CachedTrial): AccelDecision {
  return { accel: c.decision.accel, reason: `${c.decision.reason}; cached from a trial at ${c.at} on ${c.host.qemu}, kernel ${c.host.kernel}, ${c.host.cpu} (accel: kvm-trial or \`isobench doctor\` tries again)` };
}

/** This host's QEMU version, kernel release and CPU model. */
export async function accelHost(): Promise<AccelHost> {
  const r = await run([QEMU_BINARY, '--version'], { step: 'qemu --version', timeoutMs: 10_000 });
  return { qemu: r.stdout.split('\n')[0]?.trim() || 'unknown QEMU', kernel: release(), cpu: cpus()[0]?.model.trim() || 'unknown CPU' };
}

async function readTrial(file: string): Promise<CachedTrial | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (!text) return undefined;
  try {
    const c = JSON.parse(text) as CachedTrial;
    return c.decision?.accel === 'kvm' || c.decision?.accel === 'tcg' ? c : undefined;
  } catch {
    return undefined;
  }
}

/** The sentence the report carries about the accelerator (TCG: what it does to the numbers and to QEMU's memory). */
export function accelNote(d: AccelDecision, tbSizeMiB = 0): string {
  if (d.accel === 'kvm') return `VM accelerator: KVM (${d.reason}).`;
  const tb = tbSizeMiB
    ? `QEMU runs with -accel tcg,tb-size=${tbSizeMiB}: its translation cache (up to ${tbSizeMiB} MiB) is part of the QEMU RSS reported, not guest memory`
    : 'QEMU keeps its default translation cache (1 GiB on x86-64 hosts), which is part of the QEMU RSS reported, not guest memory';
  return `VM accelerator: TCG (${d.reason}). ${TCG_EFFECT}. ${tb}.`;
}

/** Whether /dev/kvm exists and is read-writable by this user. */
export async function kvmAccessible(): Promise<boolean> {
  return access('/dev/kvm', constants.R_OK | constants.W_OK).then(
    () => true,
    () => false,
  );
}

/**
 * How long the KVM trial boot of `image` may take: a cloud image's readiness includes cloud-init
 * installing python3-venv and the packages, so it gets the whole boot timeout.
 */
function trialSec(image: GuestImage, ctx: DriverContext): number {
  const vm = ctx.config.environments.vm;
  return image.source === 'cloud' ? Math.max(vm.kvmTrialSec, vm.bootTimeoutSec) : vm.kvmTrialSec;
}

/** The accelerator per config (auto: a KVM trial boot of `image`, TCG if it fails); decided once per process. */
export async function resolveAccel(image: GuestImage, profile: GuestProfile, ctx: DriverContext): Promise<AccelDecision> {
  const { accel } = ctx.config.environments.vm;
  const key = `${accel}|${trialSec(image, ctx)}`;
  let decision = decisions.get(key);
  if (!decision) {
    decision = decide(image, profile, ctx);
    decisions.set(key, decision);
    decision.catch(() => decisions.delete(key));
  }
  return decision;
}

async function decide(image: GuestImage, profile: GuestProfile, ctx: DriverContext): Promise<AccelDecision> {
  const { accel } = ctx.config.environments.vm;
  const kvmTrialSec = trialSec(image, ctx);
  if (accel === 'tcg') return { accel: 'tcg', reason: 'accel: tcg in the config' };
  const usable = await kvmAccessible();
  if (accel === 'kvm') {
    if (!usable) throw new Error('environments.vm.accel is kvm but /dev/kvm is missing or not read-writable: load kvm_intel/kvm_amd, add yourself to group kvm, or set accel: auto');
    return { accel: 'kvm', reason: 'accel: kvm in the config, not trial-booted' };
  }
  if (!usable) return { accel: 'tcg', reason: '/dev/kvm is missing or not read-writable' };
  const host = await accelHost();
  const file = trialCachePath(host);
  if (accel === 'auto') {
    const cached = await readTrial(file);
    if (cached) return cachedDecision(cached);
  }
  const decision = await trial(image, profile, kvmTrialSec, ctx);
  const entry: CachedTrial = { host, at: new Date().toISOString(), decision };
  await mkdir(join(cacheDir(), 'vm'), { recursive: true });
  await writeFile(file, `${JSON.stringify(entry, null, 2)}\n`);
  return decision;
}

async function trial(image: GuestImage, profile: GuestProfile, kvmTrialSec: number, ctx: DriverContext): Promise<AccelDecision> {
  ctx.log.info(`vm: trial boot with KVM (up to ${kvmTrialSec} s)`);
  try {
    const guest = await bootGuest(
      { id: 'kvm-trial', image, profile, accel: 'kvm', publish: [], timeoutMs: kvmTrialSec * 1000, t0: performance.now() },
      ctx,
    );
    await guest.stop();
    return { accel: 'kvm', reason: `KVM trial boot ready in ${(guest.phases.ready! / 1000).toFixed(1)} s` };
  } catch (err) {
    const why = (err instanceof Error ? err.message : String(err)).split(';')[0];
    return { accel: 'tcg', reason: `/dev/kvm is present but a KVM trial boot failed: ${why}` };
  }
}
