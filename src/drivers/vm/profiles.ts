// Guest profiles as data: what each measured VM is (init, boot path, allocation), over one image builder.
import type { VmConfig } from './config.js';

export const PROFILE_NAMES = ['full', 'micro'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface GuestProfile {
  name: ProfileName;
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
  /** Boots sampled by default under KVM (seconds each): 6, the fewest with a 95% interval. */
  bootSamples: number;
  /** Boots sampled by default under TCG, where a boot is emulated (the full guest: about a minute) and not judged. */
  tcgBootSamples: number;
}

/** The guest packages both profiles have: a kernel, Python with venv, the agent's tools. */
const COMMON = ['linux-image-amd64', 'python3', 'python3-venv', 'iproute2', 'kmod'];

/** The profiles' defaults; memoryMiB, cpus and diskGiB are overridden by environments.vm.profiles.<name>. */
export const PROFILES: Record<ProfileName, GuestProfile> = {
  full: {
    name: 'full',
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
    bootSamples: 6,
    tcgBootSamples: 3,
  },
  micro: {
    name: 'micro',
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
    bootSamples: 6,
    tcgBootSamples: 6,
  },
};

/** Boots of the Vagrant row and of a cloud guest under KVM and under TCG, unless the config says. */
export const OTHER_BOOT_SAMPLES = { kvm: 6, tcg: 2 } as const;

/** The profile `name` with the config's allocation applied (profiles.<name>, then bootSamples for all VM rows). */
export function guestProfile(name: ProfileName, vm: Pick<VmConfig, 'profiles' | 'bootSamples'>): GuestProfile {
  const set = Object.entries(vm.profiles[name]).filter(([, v]) => v !== undefined);
  return { ...PROFILES[name], ...(vm.bootSamples !== undefined ? { bootSamples: vm.bootSamples } : {}), ...Object.fromEntries(set) };
}

/**
 * Boots to sample for a VM env (its vm.profile fact): profiles.<guest>.bootSamples, else bootSamples, else the
 * profile's default for the accelerator (under TCG fewer: an emulated boot is shown, not judged).
 */
export function bootSamplesOf(vm: Pick<VmConfig, 'profiles' | 'bootSamples'>, profile: string | undefined, accel: 'kvm' | 'tcg'): number {
  const known = profile !== undefined && (PROFILE_NAMES as readonly string[]).includes(profile) ? PROFILES[profile as ProfileName] : undefined;
  const explicit = (known ? vm.profiles[known.name].bootSamples : undefined) ?? vm.bootSamples;
  if (explicit !== undefined) return explicit;
  if (known) return accel === 'tcg' ? known.tcgBootSamples : known.bootSamples;
  return OTHER_BOOT_SAMPLES[accel];
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

/** What a suite row measures: one boot, no warm-ups, the first import only (its size and probes come on top). */
export const SUITE_PLAN = { startSamples: { samples: 1, warmups: 0 }, importSamples: { samples: 0, warmups: 0 } } as const;
