// KVM or TCG: accel auto trusts KVM only after a short trial boot reaches readiness.
import { access, constants } from 'node:fs/promises';
import type { DriverContext } from '../types.js';
import { bootGuest } from './boot.js';
import type { GuestImage } from './cloud-image.js';
import type { Accel } from './qemu-args.js';

export interface AccelDecision {
  accel: Accel;
  /** Why, for the report: "config", "KVM trial boot ready in 1.2 s", "KVM trial boot hung: …". */
  reason: string;
}

const TCG_EFFECT =
  'TCG is QEMU software emulation: every guest instruction is translated, so the guest boots and runs many times slower than under KVM; VM boot and run times here are not those of a hardware-accelerated VM';

const decisions = new Map<string, Promise<AccelDecision>>();

/** The sentence the report carries about the accelerator (TCG: what it does to the numbers). */
export function accelNote(d: AccelDecision): string {
  return d.accel === 'tcg' ? `VM accelerator: TCG (${d.reason}). ${TCG_EFFECT}.` : `VM accelerator: KVM (${d.reason}).`;
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

/** The accelerator for `image` per config (auto: a KVM trial boot, TCG if it fails); decided once per process. */
export async function resolveAccel(image: GuestImage, ctx: DriverContext): Promise<AccelDecision> {
  const { accel } = ctx.config.environments.vm;
  const key = `${image.disk}|${accel}|${trialSec(image, ctx)}`;
  let decision = decisions.get(key);
  if (!decision) {
    decision = decide(image, ctx);
    decisions.set(key, decision);
    decision.catch(() => decisions.delete(key));
  }
  return decision;
}

async function decide(image: GuestImage, ctx: DriverContext): Promise<AccelDecision> {
  const { accel } = ctx.config.environments.vm;
  const kvmTrialSec = trialSec(image, ctx);
  if (accel === 'tcg') return { accel: 'tcg', reason: 'accel: tcg in the config' };
  const usable = await kvmAccessible();
  if (accel === 'kvm') {
    if (!usable) throw new Error('environments.vm.accel is kvm but /dev/kvm is missing or not read-writable: load kvm_intel/kvm_amd, add yourself to group kvm, or set accel: auto');
    return { accel: 'kvm', reason: 'accel: kvm in the config, not trial-booted' };
  }
  if (!usable) return { accel: 'tcg', reason: '/dev/kvm is missing or not read-writable' };
  ctx.log.info(`vm: trial boot with KVM (up to ${kvmTrialSec} s)`);
  try {
    const guest = await bootGuest(
      { id: 'kvm-trial', image, accel: 'kvm', publish: [], timeoutMs: kvmTrialSec * 1000, t0: performance.now() },
      ctx,
    );
    await guest.stop();
    return { accel: 'kvm', reason: `KVM trial boot ready in ${(guest.phases.ready! / 1000).toFixed(1)} s` };
  } catch (err) {
    const why = (err instanceof Error ? err.message : String(err)).split(';')[0];
    return { accel: 'tcg', reason: `/dev/kvm is present but a KVM trial boot failed: ${why}` };
  }
}
