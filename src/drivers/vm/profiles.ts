// Guest profiles as data: what each measured VM is (init, boot path, allocation, what its row samples), over one image builder.
import type { VmConfig } from './config.js';
import type { SamplePlan } from '../types.js';
import { SUITE_PLAN } from '../plans.js';
import type { Subject } from '../../claims/subjects.js';

export const PROFILE_NAMES = ['full', 'micro'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface GuestProfile {
  name: ProfileName;
  /** What it is to a verdict: the thing its numbers are like (a server guest is not a desktop install). */
  subject: Subject;
  /** How the report names it: "full OS", "micro-VM". */
  title: string;
  /** Debian packages on top of debootstrap's minbase. */
  packages: readonly string[];
  /** PID 1 of the guest, for the report. */
  init: string;
  /** direct: QEMU loads vmlinuz + initrd (-kernel); firmware: SeaBIOS boots the disk's MBR and boot loader. */
  boot: 'direct' | 'firmware';
  /** The boot path, for the report. */
  bootPath: string;
  /** What "ready" is in this guest, for the report. */
  readiness: string;
  /** initramfs-tools MODULES= and the list it loads (micro keeps the initrd tiny; full keeps Debian's default). */
  initrdModules: 'most' | readonly string[];
  memoryMiB: number;
  cpus: number;
  diskGiB: number;
  /** What its row samples by default (the config's bootSamples win). */
  sampling: Sampling;
}

/**
 * Timed boots by accelerator, and whether the probes run: under KVM a boot takes seconds and is judged (6, the fewest
 * with a 95% interval); under TCG it is emulated (the full guest: about a minute), shown, not judged (1 shows it).
 * 0 timed boots: one boot that nothing times, for the sizes and memory read inside (a row that shows sizes only).
 */
export interface Sampling {
  kvm: number;
  tcg: number;
  probes: boolean;
}

/** The sampling of a row that is timed like the document's VMs: an interval under KVM, one emulated boot under TCG. */
export const TIMED_ROW: Sampling = { kvm: 6, tcg: 1, probes: true };

/** The guest packages both profiles have: a kernel, Python with venv, the agent's tools. */
const COMMON = ['linux-image-amd64', 'python3', 'python3-venv', 'iproute2', 'kmod'];

/** The profiles' defaults; memoryMiB, cpus and diskGiB are overridden by environments.vm.profiles.<name>. */
export const PROFILES: Record<ProfileName, GuestProfile> = {
  full: {
    name: 'full',
    subject: 'server-guest',
    title: 'full OS',
    packages: [...COMMON, 'systemd-sysv', 'udev', 'dbus', 'openssh-server', 'sudo', 'cron', 'logrotate', 'procps', 'extlinux', 'syslinux-common'],
    init: 'systemd',
    boot: 'firmware',
    bootPath: 'SeaBIOS → MBR → extlinux → kernel + initramfs from the guest\'s /boot',
    readiness: 'systemd reached multi-user.target (the agent is a unit ordered after it)',
    initrdModules: 'most',
    memoryMiB: 2048,
    cpus: 2,
    diskGiB: 8,
    sampling: TIMED_ROW,
  },
  micro: {
    name: 'micro',
    subject: 'micro-guest',
    title: 'micro-VM',
    packages: COMMON,
    init: 'sh script (no systemd)',
    boot: 'direct',
    bootPath: 'direct kernel boot (QEMU -kernel, 3-module initrd), no firmware boot loader',
    readiness: 'the init script started the agent',
    initrdModules: ['virtio_pci', 'virtio_blk', 'ext4'],
    memoryMiB: 512,
    cpus: 1,
    diskGiB: 4,
    sampling: TIMED_ROW,
  },
};

/** The profile `name` with the config's allocation applied (profiles.<name>: memoryMiB, cpus, diskGiB). */
export function guestProfile(name: ProfileName, vm: Pick<VmConfig, 'profiles'>): GuestProfile {
  const { memoryMiB, cpus, diskGiB } = vm.profiles[name];
  const set = Object.entries({ memoryMiB, cpus, diskGiB }).filter(([, v]) => v !== undefined);
  return { ...PROFILES[name], ...Object.fromEntries(set) };
}

/**
 * The sample plan of a VM row (its vm.profile fact: a guest profile, vagrant or cloud): a suite row's one boot; else
 * profiles.<guest>.bootSamples or bootSamples from the config; else the profile's sampling for the accelerator (the
 * Vagrant row and a cloud guest are timed like the document's VMs).
 */
export function vmPlan(vm: Pick<VmConfig, 'profiles' | 'bootSamples'>, profile: string | undefined, accel: 'kvm' | 'tcg', opts: { suite?: boolean } = {}): SamplePlan {
  if (opts.suite) return SUITE_PLAN;
  const known = profile !== undefined && (PROFILE_NAMES as readonly string[]).includes(profile) ? PROFILES[profile as ProfileName] : undefined;
  const sampling = known?.sampling ?? TIMED_ROW;
  const explicit = (known ? vm.profiles[known.name].bootSamples : undefined) ?? vm.bootSamples;
  const n = explicit ?? sampling[accel];
  const probes = sampling.probes;
  if (n === 0) return { id: 'untimed', reason: 'sizes-only', start: { samples: 0, warmups: 0 }, imports: { samples: 0, warmups: 0 }, probes };
  const reason = explicit !== undefined ? 'config' : accel;
  // Under TCG a warm import is emulated too: one shows it (n=1), as the one boot does; ten cost 20 s a row.
  const imports = reason === 'tcg' ? { imports: { samples: 1, warmups: 0 } } : {};
  return { id: n === 1 ? 'single' : 'repeated', reason, start: { samples: n, warmups: 0 }, ...imports, probes };
}

/** One line naming a guest for rows and verdicts: "full OS: systemd, SeaBIOS → …, 2048 MiB, 2 vCPU, TCG". */
export function guestSummary(p: GuestProfile, accel: string): string {
  return `${p.title}: init ${p.init}, ${p.bootPath}, ${p.memoryMiB} MiB, ${p.cpus} vCPU, ${accel.toUpperCase()}`;
}

/** The env name of a profile's QEMU row, with the suite of a suite row (vm-micro, vm-micro-bullseye). */
export const profileEnvName = (name: ProfileName, suite?: string) => `vm-${name}${suite ? `-${suite}` : ''}`;

/** The profile a QEMU env name belongs to (vm-full → full, vm-micro-bullseye → micro). */
export function profileOfEnvName(envName: string): ProfileName {
  const name = envName.replace(/^vm-/, '').split('-')[0]!;
  if (!(PROFILE_NAMES as readonly string[]).includes(name)) throw new Error(`no VM guest profile for environment ${envName}`);
  return name as ProfileName;
}
