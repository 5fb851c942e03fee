// Guest profiles as data: what each measured VM is (init, boot path, allocation, what its row samples), over one image builder.
import type { VmConfig } from './config.js';
import type { SamplePlan } from '../types.js';
import { SUITE_PLAN } from '../plans.js';
import type { Subject } from '../../claims/subjects.js';

export const PROFILE_NAMES = ['full', 'micro', 'desktop'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface GuestProfile {
  name: ProfileName;
  /** What it is to a verdict: the thing its numbers are like (a server guest is not a desktop install). */
  subject: Subject;
  /** How the report names it: "full OS", "micro-VM". */
  title: string;
  /** What the label calls the install on top of Debian: "minbase", "server", "desktop". */
  variant: string;
  /** Debian packages on top of debootstrap's minbase. */
  packages: readonly string[];
  /**
   * Debian packages apt-get installs afterwards in the chroot, with their Recommends (as the Debian installer installs
   * a task); [] for none. The desktop's list is profiles.desktop.packages of the config.
   */
  aptPackages: readonly string[];
  /** The systemd default target set in the image (systemctl set-default); unset: the packages' own. */
  defaultTarget?: string;
  /** What the row's notes say about this guest beside the document's Ubuntu VM; unset: nothing. */
  note?: string;
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
  /** false: no density step on this row (config.instances); unset: it runs where the config asks. */
  density?: boolean;
}

/** The sampling of a row that is timed like the document's VMs: an interval under KVM, one emulated boot under TCG. */
export const TIMED_ROW: Sampling = { kvm: 6, tcg: 1, probes: true };

/** A row that shows sizes only: one boot nothing times (df and memory read on it), no probes, no density. */
export const SIZES_ONLY: Sampling = { kvm: 0, tcg: 0, probes: false, density: false };

/** Whether a row of this sampling shows sizes only (no timed boot, no probes). */
export const sizesOnly = (s: Sampling) => s.kvm === 0 && s.tcg === 0 && !s.probes;

/** Debian's GNOME desktop task: what the Debian installer's default desktop selection installs (tasksel, with Recommends). */
export const DESKTOP_TASK = ['task-gnome-desktop'];

/** The guest packages every profile has: a kernel, Python with venv, the agent's tools. */
const COMMON = ['linux-image-amd64', 'python3', 'python3-venv', 'iproute2', 'kmod'];

/** The full guest's packages: a server's services and its boot loader; the desktop guest has them too. */
const FULL_PACKAGES = [...COMMON, 'systemd-sysv', 'udev', 'dbus', 'openssh-server', 'sudo', 'cron', 'logrotate', 'procps', 'extlinux', 'syslinux-common'];

const FIRMWARE_BOOT = 'SeaBIOS → MBR → extlinux → kernel + initramfs from the guest\'s /boot';
const MULTI_USER_READY = 'systemd reached multi-user.target (the agent is a unit ordered after it)';

/** How the full guest compares with the document's Ubuntu disk figures. */
const SERVER_INSTALL_NOTE =
  'The full-OS guest is a server-style Debian install: Debian\'s minimal base (debootstrap minbase) plus the services of a server (systemd with journald, udev, D-Bus, systemd-networkd, OpenSSH, cron, logrotate, sudo), Python and the venv, with no desktop. The document\'s VM is Ubuntu 22.04 installed from its ISO (a 5 GB install, 8 GB used on a 20 GB disk; it names no edition, and a desktop install stands for it): its sizes are judged on the desktop guest where one ran, and this guest\'s are shown beside them as what a minimal server VM weighs, not judged.';

/** How the desktop guest compares with the document's Ubuntu desktop VM. */
const DESKTOP_INSTALL_NOTE =
  'The desktop-OS guest is the full-OS guest plus Debian\'s GNOME desktop task (task-gnome-desktop with its Recommends, what the Debian installer\'s default desktop selection installs), on a 20 GiB virtual disk like the document\'s Ubuntu 22.04 desktop VM; it boots to multi-user.target (no display manager runs). Its row shows sizes only (the guest\'s own df, the virtual disk, the image), from one boot that nothing times: its boot, memory and isolation are the full guest\'s row\'s evidence.';

/** The full-OS guest: a server-style Debian install (the desktop guest is it plus a desktop task). */
const FULL: GuestProfile = {
  name: 'full',
  subject: 'server-guest',
  title: 'full OS',
  variant: 'server',
  packages: FULL_PACKAGES,
  aptPackages: [],
  note: SERVER_INSTALL_NOTE,
  init: 'systemd',
  boot: 'firmware',
  bootPath: FIRMWARE_BOOT,
  readiness: MULTI_USER_READY,
  initrdModules: 'most',
  memoryMiB: 2048,
  cpus: 2,
  diskGiB: 8,
  sampling: TIMED_ROW,
};

/** The profiles' defaults; memoryMiB, cpus and diskGiB are overridden by environments.vm.profiles.<name>, the desktop's aptPackages by its packages. */
export const PROFILES: Record<ProfileName, GuestProfile> = {
  full: FULL,
  micro: {
    name: 'micro',
    subject: 'micro-guest',
    title: 'micro-VM',
    variant: 'minbase',
    packages: COMMON,
    aptPackages: [],
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
  desktop: {
    // The full guest with a desktop installed, not run: no display manager starts, the boot ends where the full guest's does.
    ...FULL,
    name: 'desktop',
    subject: 'desktop-guest',
    title: 'desktop OS',
    variant: 'desktop',
    aptPackages: DESKTOP_TASK,
    defaultTarget: 'multi-user.target',
    note: DESKTOP_INSTALL_NOTE,
    // The document's VM: a 20 GB virtual disk.
    diskGiB: 20,
    sampling: SIZES_ONLY,
  },
};

/** The profile `name` with the config's allocation applied (profiles.<name>: memoryMiB, cpus, diskGiB; the desktop's packages). */
export function guestProfile(name: ProfileName, vm: Pick<VmConfig, 'profiles'>): GuestProfile {
  const own = vm.profiles[name];
  const { memoryMiB, cpus, diskGiB } = own;
  const aptPackages = 'packages' in own ? own.packages : undefined;
  const set = Object.entries({ memoryMiB, cpus, diskGiB, aptPackages }).filter(([, v]) => v !== undefined);
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
  // The global bootSamples times the timed rows; a sizes-only row is timed only by its own bootSamples.
  const explicit = (known ? vm.profiles[known.name].bootSamples : undefined) ?? (sizesOnly(sampling) ? undefined : vm.bootSamples);
  const n = explicit ?? sampling[accel];
  const probes = sampling.probes;
  const density = sampling.density === false ? { density: false } : {};
  if (n === 0) return { id: 'untimed', reason: 'sizes-only', start: { samples: 0, warmups: 0 }, imports: { samples: 0, warmups: 0 }, probes, ...density };
  const reason = explicit !== undefined ? 'config' : accel;
  // Under TCG a warm import is emulated too: one shows it (n=1), as the one boot does; ten cost 20 s a row.
  const imports = reason === 'tcg' ? { imports: { samples: 1, warmups: 0 } } : {};
  return { id: n === 1 ? 'single' : 'repeated', reason, start: { samples: n, warmups: 0 }, ...imports, probes, ...density };
}

/** One line naming a guest for rows and verdicts: "full OS: systemd, SeaBIOS → …, 2048 MiB, 2 vCPU, TCG". */
export function guestSummary(p: GuestProfile, accel: string): string {
  return `${p.title}: init ${p.init}, ${p.bootPath}, ${p.memoryMiB} MiB, ${p.cpus} vCPU, ${accel.toUpperCase()}`;
}

/** The env name of a profile's QEMU row, with the suite of a suite row (vm-micro, vm-micro-bullseye, vm-desktop). */
export const profileEnvName = (name: ProfileName, suite?: string) => `vm-${name}${suite ? `-${suite}` : ''}`;

/** The profile a QEMU env name belongs to (vm-full → full, vm-micro-bullseye → micro). */
export function profileOfEnvName(envName: string): ProfileName {
  const name = envName.replace(/^vm-/, '').split('-')[0]!;
  if (!(PROFILE_NAMES as readonly string[]).includes(name)) throw new Error(`no VM guest profile for environment ${envName}`);
  return name as ProfileName;
}
