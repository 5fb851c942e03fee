// The vm section of the config.
import { z } from 'zod';
import { PROFILE_NAMES } from './profiles.js';
import { suiteList } from '../../images/suites.js';

/** A cloud image booted with a cloud-init NoCloud seed (needs the network; the offline image does not). */
export const cloudImageConfig = z.strictObject({
  url: z.string().url(),
  /** Hex sha256 of the downloaded file; the download is refused when it differs. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a 64-digit lowercase hex sha256'),
  format: z.enum(['qcow2', 'raw']).default('qcow2'),
});

export const vagrantConfig = z.strictObject({
  /**
   * The Vagrant row beside the QEMU guests (skipped, with the fix, where Vagrant or libvirt is missing): the
   * document sets VMs up with Vagrant. auto: in the run where KVM works; left out under TCG when it would repeat
   * the full guest's evidence (the local box is that guest: the same image and kernel) at minutes a boot.
   * true: always (so does `run --only all`); false: never; backend: vagrant runs it alone.
   */
  enabled: z.union([z.boolean(), z.literal('auto')]).default('auto'),
  provider: z.enum(['libvirt', 'virtualbox']).default('libvirt'),
  /** isobench/bookworm-full is the full guest as a box, built and added by `run` when missing; any other box must be added by hand. */
  box: z.string().min(1).default('isobench/bookworm-full'),
  /** `vagrant up` (box download + boot + provisioning) deadline. */
  upTimeoutSec: z.number().int().positive().default(1200),
});

/** A guest's allocation; unset keys keep the profile's default. */
const allocation = z.strictObject({
  memoryMiB: z.number().int().min(128).optional(),
  cpus: z.number().int().min(1).max(64).optional(),
  /** Virtual size of the guest's root disk (the qcow2 only stores what is written). */
  diskGiB: z.number().int().min(1).max(64).optional(),
  /** Timed boots of this guest's row (default: 6 under KVM, 1 under TCG; else environments.vm.bootSamples). */
  bootSamples: z.number().int().positive().optional(),
});

/** A Debian package name (policy 5.6.1), so a typo fails here, not half-way through an apt run in a chroot. */
const debianPackage = z.string().regex(/^[a-z0-9][a-z0-9+.-]+$/, 'expected a Debian package name (lowercase letters, digits, + - .), e.g. task-gnome-desktop');

/** The desktop guest: an allocation, and the packages apt installs into it (with Recommends). */
const desktopProfile = allocation.extend({
  /** Default task-gnome-desktop (the Debian installer's default desktop); a small list makes a quick build (tests, CI). */
  packages: z.array(debianPackage).min(1, 'expected at least one package; leave packages out for the default [task-gnome-desktop]').optional(),
});

export const vmConfig = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** qemu: the QEMU guests (and the Vagrant row when vagrant.enabled); vagrant: the Vagrant row only. */
    backend: z.enum(['qemu', 'vagrant']).default('qemu'),
    /** auto: KVM when a trial boot succeeds (its answer cached per QEMU, kernel, CPU), else TCG; kvm-trial: a fresh trial, not the cached answer. */
    accel: z.enum(['auto', 'kvm-trial', 'kvm', 'tcg']).default('auto'),
    /** How long the KVM trial boot of accel: auto may take to reach the readiness marker. */
    kvmTrialSec: z.number().int().positive().default(25),
    /**
     * The QEMU guests measured, one row each: full (the document's full-OS VM, a server install), micro (a
     * direct-kernel-boot micro-VM), desktop (the full guest plus a GNOME desktop on 20 GiB: sizes only; in the
     * embedded default config, not in this default).
     */
    guests: z
      .array(z.enum(PROFILE_NAMES))
      .min(1)
      .refine((g) => new Set(g).size === g.length, 'each guest at most once')
      .default(['full', 'micro']),
    /** Suite rows: a micro guest of each of these Debian suites (e.g. bullseye: kernel 5.10), one boot, probes and size only. */
    suites: suiteList,
    /** Allocation per guest profile (defaults: full 2048 MiB, 2 vCPUs, 8 GiB; micro 512 MiB, 1 vCPU, 4 GiB; desktop 2048 MiB, 2 vCPUs, 20 GiB). */
    profiles: z
      .strictObject({ full: allocation.prefault({}), micro: allocation.prefault({}), desktop: desktopProfile.prefault({}) })
      .prefault({}),
    /** TCG's translation cache in MiB (-accel tcg,tb-size=N); 0 keeps QEMU's default (1 GiB on x86-64 hosts). */
    tcgTbSizeMiB: z.number().int().min(0).max(4096).default(128),
    bootTimeoutSec: z.number().int().positive().default(300),
    /**
     * Timed boots of every VM row (a VM boot is slow: fewer than the run's samples is fine, the report says which
     * sample plan ran and whether there is an interval); unset: 6 under KVM (an interval), 1 under TCG (an emulated
     * boot is shown, not judged). profiles.<guest>.bootSamples wins.
     */
    bootSamples: z.number().int().positive().optional(),
    /** offline: a Debian guest built here with debootstrap; cloud: the image in `cloud` (needs the network). */
    image: z.enum(['offline', 'cloud']).default('offline'),
    cloud: cloudImageConfig.optional(),
    vagrant: vagrantConfig.prefault({}),
  })
  .refine((c) => c.image !== 'cloud' || c.cloud !== undefined, {
    message: 'image: cloud needs environments.vm.cloud.url and .sha256',
    path: ['cloud'],
  });

export type VmConfig = z.infer<typeof vmConfig>;
export type CloudImageConfig = z.infer<typeof cloudImageConfig>;
